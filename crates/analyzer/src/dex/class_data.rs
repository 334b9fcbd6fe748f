//! `class_data_item`: a class's fields and methods, each index stored as a ULEB128 difference
//! from the previous one in its list.

use super::{DexError, read_uleb};

/// Element sizes of a `class_data_item`'s four lists, and where their entries start.
#[derive(Debug, Clone, Copy)]
pub struct ClassData<'a> {
    data: &'a [u8],
    entries_at: u64,
    pub static_fields: u32,
    pub instance_fields: u32,
    pub direct_methods: u32,
    pub virtual_methods: u32,
}

/// A field defined by a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodedField {
    pub field: u32,
    pub access_flags: u32,
    pub is_static: bool,
}

/// A method defined by a class; `code_off` is 0 for abstract and native methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodedMethod {
    pub method: u32,
    pub access_flags: u32,
    pub code_off: u32,
    pub is_direct: bool,
}

/// Each entry holds at least two ULEB128 bytes; counts beyond that many are lies.
const MIN_ENTRY_BYTES: u64 = 2;

impl<'a> ClassData<'a> {
    pub(crate) fn read(data: &'a [u8], offset: u64) -> Result<Self, DexError> {
        let mut at = offset;
        let what = "class_data_item";
        let static_fields = read_uleb(data, &mut at, what)?;
        let instance_fields = read_uleb(data, &mut at, what)?;
        let direct_methods = read_uleb(data, &mut at, what)?;
        let virtual_methods = read_uleb(data, &mut at, what)?;
        let entries = u64::from(static_fields)
            + u64::from(instance_fields)
            + u64::from(direct_methods)
            + u64::from(virtual_methods);
        if entries.saturating_mul(MIN_ENTRY_BYTES) > (data.len() as u64).saturating_sub(at) {
            return Err(DexError::Malformed { what, offset });
        }
        Ok(ClassData {
            data,
            entries_at: at,
            static_fields,
            instance_fields,
            direct_methods,
            virtual_methods,
        })
    }

    /// Static then instance fields, in file order.
    pub fn fields(&self) -> Result<Vec<EncodedField>, DexError> {
        let mut at = self.entries_at;
        let mut fields = Vec::with_capacity((self.static_fields + self.instance_fields) as usize);
        for (count, is_static) in [(self.static_fields, true), (self.instance_fields, false)] {
            let mut index = 0u32;
            for _ in 0..count {
                let diff = read_uleb(self.data, &mut at, "encoded_field")?;
                index = index.wrapping_add(diff);
                let access_flags = read_uleb(self.data, &mut at, "encoded_field")?;
                fields.push(EncodedField {
                    field: index,
                    access_flags,
                    is_static,
                });
            }
        }
        Ok(fields)
    }

    /// Direct then virtual methods, in file order.
    pub fn methods(&self) -> Result<Vec<EncodedMethod>, DexError> {
        let mut at = self.entries_at;
        for _ in 0..(self.static_fields + self.instance_fields) {
            read_uleb(self.data, &mut at, "encoded_field")?;
            read_uleb(self.data, &mut at, "encoded_field")?;
        }
        let mut methods = Vec::with_capacity((self.direct_methods + self.virtual_methods) as usize);
        for (count, is_direct) in [(self.direct_methods, true), (self.virtual_methods, false)] {
            let mut index = 0u32;
            for _ in 0..count {
                let diff = read_uleb(self.data, &mut at, "encoded_method")?;
                index = index.wrapping_add(diff);
                let access_flags = read_uleb(self.data, &mut at, "encoded_method")?;
                let code_off = read_uleb(self.data, &mut at, "encoded_method")?;
                methods.push(EncodedMethod {
                    method: index,
                    access_flags,
                    code_off,
                    is_direct,
                });
            }
        }
        Ok(methods)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_accumulate_per_list() {
        // 1 static field (idx 2), 0 instance, 1 direct method (idx 5, code 0x40),
        // 2 virtual methods (idx 3, 7).
        let data = [1, 0, 1, 2, 2, 0x08, 5, 0x01, 0x40, 3, 0x01, 0x50, 4, 0x01, 0x60];
        let class = ClassData::read(&data, 0).unwrap();
        assert_eq!(
            class.fields().unwrap(),
            vec![EncodedField {
                field: 2,
                access_flags: 8,
                is_static: true
            }]
        );
        let methods = class.methods().unwrap();
        let summary: Vec<(u32, u32, bool)> = methods
            .iter()
            .map(|m| (m.method, m.code_off, m.is_direct))
            .collect();
        assert_eq!(summary, vec![(5, 0x40, true), (3, 0x50, false), (7, 0x60, false)]);
    }

    #[test]
    fn counts_larger_than_the_data_are_refused() {
        let data = [0xff, 0xff, 0x03, 0, 0, 0];
        assert!(ClassData::read(&data, 0).is_err());
        let truncated = [1, 0, 0, 0, 0x80];
        assert!(ClassData::read(&truncated, 0).is_err());
    }
}
