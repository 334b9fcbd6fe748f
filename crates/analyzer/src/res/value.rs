//! `Res_value`: the typed value of an XML attribute, a CDATA node or a resource entry.

use crate::bytes::{u16_at, u32_at};

/// `Res_value::dataType` codes.
pub mod data_type {
    pub const NULL: u8 = 0x00;
    pub const REFERENCE: u8 = 0x01;
    pub const ATTRIBUTE: u8 = 0x02;
    pub const STRING: u8 = 0x03;
    pub const FLOAT: u8 = 0x04;
    pub const DIMENSION: u8 = 0x05;
    pub const FRACTION: u8 = 0x06;
    pub const DYNAMIC_REFERENCE: u8 = 0x07;
    pub const DYNAMIC_ATTRIBUTE: u8 = 0x08;
    pub const INT_DEC: u8 = 0x10;
    pub const INT_HEX: u8 = 0x11;
    pub const INT_BOOLEAN: u8 = 0x12;
    pub const INT_COLOR_ARGB8: u8 = 0x1c;
    pub const INT_COLOR_RGB8: u8 = 0x1d;
    pub const INT_COLOR_ARGB4: u8 = 0x1e;
    pub const INT_COLOR_RGB4: u8 = 0x1f;
    /// First and last of the integer types (`TYPE_FIRST_INT`, `TYPE_LAST_INT`).
    pub const FIRST_INT: u8 = INT_DEC;
    pub const LAST_INT: u8 = INT_COLOR_RGB4;
}

/// The 8 raw bytes of a `Res_value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResValue {
    /// Size of the structure; 8 in every file aapt writes.
    pub size: u16,
    pub res0: u8,
    pub data_type: u8,
    pub data: u32,
}

impl ResValue {
    pub const LEN: usize = 8;

    pub fn new(data_type: u8, data: u32) -> ResValue {
        ResValue {
            size: Self::LEN as u16,
            res0: 0,
            data_type,
            data,
        }
    }

    /// The value at `offset` of `data`.
    pub fn read(data: &[u8], offset: usize) -> Option<ResValue> {
        let at = offset as u64;
        Some(ResValue {
            size: u16_at(data, at)?,
            res0: *data.get(offset.checked_add(2)?)?,
            data_type: *data.get(offset.checked_add(3)?)?,
            data: u32_at(data, at + 4)?,
        })
    }

    /// One of the integer types (`TYPE_FIRST_INT..=TYPE_LAST_INT`): what aapt's
    /// `getIntegerAttribute` accepts.
    pub fn is_int(&self) -> bool {
        (data_type::FIRST_INT..=data_type::LAST_INT).contains(&self.data_type)
    }

    pub fn is_reference(&self) -> bool {
        self.data_type == data_type::REFERENCE || self.data_type == data_type::DYNAMIC_REFERENCE
    }

    /// The value interpreted by its type.
    pub fn value(&self) -> Value {
        let data = self.data;
        match self.data_type {
            data_type::NULL => Value::Null { empty: data == 1 },
            data_type::REFERENCE => Value::Reference(data),
            data_type::ATTRIBUTE => Value::Attribute(data),
            data_type::STRING => Value::String(data),
            data_type::FLOAT => Value::Float(f32::from_bits(data)),
            data_type::DIMENSION => Value::Dimension(Complex(data)),
            data_type::FRACTION => Value::Fraction(Complex(data)),
            data_type::DYNAMIC_REFERENCE => Value::DynamicReference(data),
            data_type::DYNAMIC_ATTRIBUTE => Value::DynamicAttribute(data),
            data_type::INT_DEC => Value::IntDec(data as i32),
            data_type::INT_HEX => Value::IntHex(data),
            data_type::INT_BOOLEAN => Value::Boolean(data != 0),
            data_type::INT_COLOR_ARGB8
            | data_type::INT_COLOR_RGB8
            | data_type::INT_COLOR_ARGB4
            | data_type::INT_COLOR_RGB4 => Value::Color {
                data_type: self.data_type,
                argb: data,
            },
            other => Value::Unknown {
                data_type: other,
                data,
            },
        }
    }
}

/// A `Res_value` interpreted by its type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// `TYPE_NULL`: undefined (`@null`), or `@empty` when `empty`.
    Null {
        empty: bool,
    },
    /// `@0xPPTTEEEE`.
    Reference(u32),
    /// `?0xPPTTEEEE`: a theme attribute.
    Attribute(u32),
    /// Index into the string pool of the document or table.
    String(u32),
    Float(f32),
    Dimension(Complex),
    Fraction(Complex),
    /// A reference whose package id was assigned at build time and is mapped at run time through
    /// the table's library chunk.
    DynamicReference(u32),
    DynamicAttribute(u32),
    IntDec(i32),
    IntHex(u32),
    Boolean(bool),
    /// One of the four colour types; the data is always expanded to `0xAARRGGBB`.
    Color {
        data_type: u8,
        argb: u32,
    },
    Unknown {
        data_type: u8,
        data: u32,
    },
}

/// A dimension or fraction: a 24-bit mantissa with a radix and a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Complex(pub u32);

/// Units of a [`Complex`] value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplexUnit {
    Px,
    Dip,
    Sp,
    Pt,
    In,
    Mm,
    /// `%` (fractions).
    Fraction,
    /// `%p`: fraction of the parent (fractions).
    FractionParent,
    Unknown(u8),
}

impl Complex {
    /// The number, as Android's `TypedValue.complexToFloat` computes it.
    pub fn value(&self) -> f32 {
        const MANTISSA: f32 = 1.0 / 256.0;
        const RADIX: [f32; 4] = [
            MANTISSA,
            MANTISSA / 128.0,
            MANTISSA / 32768.0,
            MANTISSA / 8_388_608.0,
        ];
        let mantissa = (self.0 & 0xffff_ff00) as i32;
        mantissa as f32 * RADIX[((self.0 >> 4) & 3) as usize]
    }

    /// The unit, read as a dimension unit when `fraction` is false.
    pub fn unit(&self, fraction: bool) -> ComplexUnit {
        let unit = (self.0 & 0xf) as u8;
        match (fraction, unit) {
            (false, 0) => ComplexUnit::Px,
            (false, 1) => ComplexUnit::Dip,
            (false, 2) => ComplexUnit::Sp,
            (false, 3) => ComplexUnit::Pt,
            (false, 4) => ComplexUnit::In,
            (false, 5) => ComplexUnit::Mm,
            (true, 0) => ComplexUnit::Fraction,
            (true, 1) => ComplexUnit::FractionParent,
            (_, other) => ComplexUnit::Unknown(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_interprets() {
        let bytes = [8, 0, 0, 0x10, 0x1e, 0, 0, 0];
        let value = ResValue::read(&bytes, 0).unwrap();
        assert_eq!(value, ResValue::new(data_type::INT_DEC, 30));
        assert!(value.is_int());
        assert_eq!(value.value(), Value::IntDec(30));
        assert_eq!(ResValue::read(&bytes, 1), None);
        assert_eq!(ResValue::read(&bytes, usize::MAX), None);
        assert_eq!(
            ResValue::new(data_type::INT_BOOLEAN, u32::MAX).value(),
            Value::Boolean(true)
        );
        assert_eq!(
            ResValue::new(data_type::NULL, 1).value(),
            Value::Null { empty: true }
        );
        assert_eq!(
            ResValue::new(0x42, 7).value(),
            Value::Unknown {
                data_type: 0x42,
                data: 7
            }
        );
    }

    #[test]
    fn complex_values_decode_like_typed_value() {
        // 18sp and 16dp as aapt encodes them (radix 23p0).
        assert_eq!(Complex(0x0000_1202).value(), 18.0);
        assert_eq!(Complex(0x0000_1202).unit(false), ComplexUnit::Sp);
        assert_eq!(Complex(0x0000_1001).value(), 16.0);
        assert_eq!(Complex(0x0000_1001).unit(false), ComplexUnit::Dip);
        // 50% as a fraction: mantissa 0x400000 with radix 0p23.
        let half = Complex(0x4000_0030);
        assert_eq!(half.value(), 0.5);
        assert_eq!(half.unit(true), ComplexUnit::Fraction);
        // Negative: -1px (the mantissa is signed).
        assert_eq!(Complex(0xffff_ff00).value(), -1.0);
        assert_eq!(Complex(0xffff_ff00).unit(false), ComplexUnit::Px);
        assert_eq!(Complex(0x0000_010f).unit(false), ComplexUnit::Unknown(15));
    }
}
