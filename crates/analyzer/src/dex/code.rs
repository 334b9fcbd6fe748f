//! `code_item` and the Dalvik instruction set: every format of the bytecode specification
//! decoded into registers, literals, branch offsets and pool references, plus the three
//! payload pseudo-instructions (`packed-switch`, `sparse-switch`, `fill-array-data`).

use super::{DexError, read_u16, read_uleb};
use crate::bytes::{sleb128, slice, u32_at};

/// A method's code: register counts and the instruction stream.
#[derive(Debug, Clone, Copy)]
pub struct CodeItem<'a> {
    pub registers: u16,
    pub ins: u16,
    pub outs: u16,
    pub tries: u16,
    pub debug_info_off: u32,
    /// The instructions, two bytes per code unit.
    pub insns: &'a [u8],
    /// File offset of the first instruction.
    pub insns_offset: u64,
    /// The container, for the try/catch tables after the instructions.
    data: &'a [u8],
}

impl<'a> CodeItem<'a> {
    pub(crate) fn read(data: &'a [u8], offset: u64) -> Result<Self, DexError> {
        let what = "code_item";
        let insns_units = u32_at(data, offset + 12).ok_or(DexError::Malformed { what, offset })?;
        let insns_offset = offset + 16;
        let insns = slice(data, insns_offset, u64::from(insns_units) * 2)
            .ok_or(DexError::Malformed { what, offset })?;
        Ok(CodeItem {
            registers: read_u16(data, offset, what)?,
            ins: read_u16(data, offset + 2, what)?,
            outs: read_u16(data, offset + 4, what)?,
            tries: read_u16(data, offset + 6, what)?,
            debug_info_off: u32_at(data, offset + 8).ok_or(DexError::Malformed { what, offset })?,
            insns,
            insns_offset,
            data,
        })
    }

    /// Length in 16-bit code units.
    pub fn units(&self) -> u32 {
        (self.insns.len() / 2) as u32
    }

    /// Exception types named by the method's catch clauses (catch-all clauses name none), in
    /// handler-list order, duplicates kept.
    pub fn catch_types(&self) -> Result<Vec<u32>, DexError> {
        let data = self.data;
        if self.tries == 0 {
            return Ok(Vec::new());
        }
        // try_items follow the instructions, padded to four bytes.
        let tries_at = (self.insns_offset + self.insns.len() as u64).next_multiple_of(4);
        let handlers_at = tries_at + u64::from(self.tries) * 8;
        let what = "encoded_catch_handler_list";
        let mut at = handlers_at;
        let lists = read_uleb(data, &mut at, what)?;
        let mut types = Vec::new();
        for _ in 0..lists {
            let start = at;
            let size = sleb128(data, &mut at).ok_or(DexError::Malformed { what, offset: start })?;
            for _ in 0..size.unsigned_abs() {
                types.push(read_uleb(data, &mut at, what)?);
                read_uleb(data, &mut at, what)?;
            }
            if size <= 0 {
                read_uleb(data, &mut at, what)?;
            }
        }
        Ok(types)
    }

    /// Decodes the instructions in order, stopping after the first malformed one.
    pub fn instructions(&self) -> Instructions<'a> {
        Instructions {
            insns: self.insns,
            insns_offset: self.insns_offset,
            pc: 0,
            failed: false,
        }
    }
}

/// Instruction formats of the Dalvik bytecode specification (`<units><registers><kind>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    F10x,
    F12x,
    F11n,
    F11x,
    F10t,
    F20t,
    F22x,
    F21t,
    F21s,
    F21h,
    F21c,
    F23x,
    F22b,
    F22t,
    F22s,
    F22c,
    F30t,
    F32x,
    F31i,
    F31t,
    F31c,
    F35c,
    F3rc,
    F45cc,
    F4rcc,
    F51l,
    /// A payload pseudo-instruction; its length is in the data.
    Payload,
}

impl Format {
    /// Length in code units (payloads excepted).
    pub fn units(self) -> u32 {
        use Format::*;
        match self {
            F10x | F12x | F11n | F11x | F10t => 1,
            F20t | F22x | F21t | F21s | F21h | F21c | F23x | F22b | F22t | F22s | F22c => 2,
            F30t | F32x | F31i | F31t | F31c | F35c | F3rc => 3,
            F45cc | F4rcc => 4,
            F51l => 5,
            Payload => 0,
        }
    }
}

/// What an instruction's index operand points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reference {
    String(u32),
    Type(u32),
    Field(u32),
    Method(u32),
    Proto(u32),
    CallSite(u32),
    MethodHandle(u32),
}

impl Reference {
    /// dexdump's name for the pool (`method@0012`).
    pub fn pool(&self) -> &'static str {
        match self {
            Reference::String(_) => "string",
            Reference::Type(_) => "type",
            Reference::Field(_) => "field",
            Reference::Method(_) => "method",
            Reference::Proto(_) => "proto",
            Reference::CallSite(_) => "call_site",
            Reference::MethodHandle(_) => "method_handle",
        }
    }

    pub fn index(&self) -> u32 {
        match *self {
            Reference::String(i)
            | Reference::Type(i)
            | Reference::Field(i)
            | Reference::Method(i)
            | Reference::Proto(i)
            | Reference::CallSite(i)
            | Reference::MethodHandle(i) => i,
        }
    }
}

/// The operation of an instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Opcode(u8),
    PackedSwitchPayload,
    SparseSwitchPayload,
    FillArrayDataPayload,
}

impl Op {
    /// The name dexdump and smali use (`invoke-virtual`, `packed-switch-data` for payloads).
    pub fn mnemonic(self) -> &'static str {
        match self {
            Op::Opcode(op) => opcode_info(op).0,
            Op::PackedSwitchPayload => "packed-switch-data",
            Op::SparseSwitchPayload => "sparse-switch-data",
            Op::FillArrayDataPayload => "array-data",
        }
    }
}

/// Register operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registers {
    /// Up to five explicit registers (`vA, vB, ...`).
    List { regs: [u16; 5], count: u8 },
    /// `{vFIRST .. vFIRST+COUNT-1}` of the `/range` forms.
    Range { first: u16, count: u16 },
}

impl Registers {
    fn list(regs: &[u16]) -> Self {
        let mut array = [0u16; 5];
        let count = regs.len().min(5);
        array[..count].copy_from_slice(&regs[..count]);
        Registers::List {
            regs: array,
            count: count as u8,
        }
    }
}

/// One decoded instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instruction {
    /// Position in code units from the start of the method.
    pub pc: u32,
    pub op: Op,
    pub format: Format,
    /// Length in code units.
    pub units: u32,
    pub registers: Registers,
    /// Literal operand (`const`, `/lit8`, `/lit16`; payload element width for `array-data`).
    pub literal: Option<i64>,
    /// Branch target relative to `pc`, in code units.
    pub branch: Option<i32>,
    pub reference: Option<Reference>,
    /// The prototype operand of `invoke-polymorphic`.
    pub proto: Option<u32>,
}

impl Instruction {
    pub fn mnemonic(&self) -> &'static str {
        self.op.mnemonic()
    }

    /// Whether this is one of the `invoke-*` family.
    pub fn is_invoke(&self) -> bool {
        matches!(self.op, Op::Opcode(0x6e..=0x72 | 0x74..=0x78 | 0xfa..=0xfd))
    }
}

/// Kind of pool an opcode's index operand refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pool {
    None,
    String,
    Type,
    Field,
    Method,
    Proto,
    CallSite,
    MethodHandle,
}

const UNUSED: (&str, Format, Pool) = ("unused", Format::F10x, Pool::None);

const UNOPS: [&str; 21] = [
    "neg-int",
    "not-int",
    "neg-long",
    "not-long",
    "neg-float",
    "neg-double",
    "int-to-long",
    "int-to-float",
    "int-to-double",
    "long-to-int",
    "long-to-float",
    "long-to-double",
    "float-to-int",
    "float-to-long",
    "float-to-double",
    "double-to-int",
    "double-to-long",
    "double-to-float",
    "int-to-byte",
    "int-to-char",
    "int-to-short",
];

const BINOPS: [&str; 32] = [
    "add-int",
    "sub-int",
    "mul-int",
    "div-int",
    "rem-int",
    "and-int",
    "or-int",
    "xor-int",
    "shl-int",
    "shr-int",
    "ushr-int",
    "add-long",
    "sub-long",
    "mul-long",
    "div-long",
    "rem-long",
    "and-long",
    "or-long",
    "xor-long",
    "shl-long",
    "shr-long",
    "ushr-long",
    "add-float",
    "sub-float",
    "mul-float",
    "div-float",
    "rem-float",
    "add-double",
    "sub-double",
    "mul-double",
    "div-double",
    "rem-double",
];

const BINOPS_2ADDR: [&str; 32] = [
    "add-int/2addr",
    "sub-int/2addr",
    "mul-int/2addr",
    "div-int/2addr",
    "rem-int/2addr",
    "and-int/2addr",
    "or-int/2addr",
    "xor-int/2addr",
    "shl-int/2addr",
    "shr-int/2addr",
    "ushr-int/2addr",
    "add-long/2addr",
    "sub-long/2addr",
    "mul-long/2addr",
    "div-long/2addr",
    "rem-long/2addr",
    "and-long/2addr",
    "or-long/2addr",
    "xor-long/2addr",
    "shl-long/2addr",
    "shr-long/2addr",
    "ushr-long/2addr",
    "add-float/2addr",
    "sub-float/2addr",
    "mul-float/2addr",
    "div-float/2addr",
    "rem-float/2addr",
    "add-double/2addr",
    "sub-double/2addr",
    "mul-double/2addr",
    "div-double/2addr",
    "rem-double/2addr",
];

const LIT16: [&str; 8] = [
    "add-int/lit16",
    "rsub-int",
    "mul-int/lit16",
    "div-int/lit16",
    "rem-int/lit16",
    "and-int/lit16",
    "or-int/lit16",
    "xor-int/lit16",
];

const LIT8: [&str; 11] = [
    "add-int/lit8",
    "rsub-int/lit8",
    "mul-int/lit8",
    "div-int/lit8",
    "rem-int/lit8",
    "and-int/lit8",
    "or-int/lit8",
    "xor-int/lit8",
    "shl-int/lit8",
    "shr-int/lit8",
    "ushr-int/lit8",
];

const CMP: [&str; 5] = [
    "cmpl-float",
    "cmpg-float",
    "cmpl-double",
    "cmpg-double",
    "cmp-long",
];
const IF_TEST: [&str; 6] = ["if-eq", "if-ne", "if-lt", "if-ge", "if-gt", "if-le"];
const IF_TESTZ: [&str; 6] = ["if-eqz", "if-nez", "if-ltz", "if-gez", "if-gtz", "if-lez"];
const ARRAY_OPS: [&str; 14] = [
    "aget",
    "aget-wide",
    "aget-object",
    "aget-boolean",
    "aget-byte",
    "aget-char",
    "aget-short",
    "aput",
    "aput-wide",
    "aput-object",
    "aput-boolean",
    "aput-byte",
    "aput-char",
    "aput-short",
];
const INSTANCE_OPS: [&str; 14] = [
    "iget",
    "iget-wide",
    "iget-object",
    "iget-boolean",
    "iget-byte",
    "iget-char",
    "iget-short",
    "iput",
    "iput-wide",
    "iput-object",
    "iput-boolean",
    "iput-byte",
    "iput-char",
    "iput-short",
];
const STATIC_OPS: [&str; 14] = [
    "sget",
    "sget-wide",
    "sget-object",
    "sget-boolean",
    "sget-byte",
    "sget-char",
    "sget-short",
    "sput",
    "sput-wide",
    "sput-object",
    "sput-boolean",
    "sput-byte",
    "sput-char",
    "sput-short",
];
const INVOKES: [&str; 5] = [
    "invoke-virtual",
    "invoke-super",
    "invoke-direct",
    "invoke-static",
    "invoke-interface",
];
const INVOKES_RANGE: [&str; 5] = [
    "invoke-virtual/range",
    "invoke-super/range",
    "invoke-direct/range",
    "invoke-static/range",
    "invoke-interface/range",
];

/// Name, format and index kind of each opcode, from the Dalvik bytecode table.
fn opcode_info(op: u8) -> (&'static str, Format, Pool) {
    use Format::*;
    let at = |names: &'static [&'static str], first: u8| names[usize::from(op - first)];
    match op {
        0x00 => ("nop", F10x, Pool::None),
        0x01 => ("move", F12x, Pool::None),
        0x02 => ("move/from16", F22x, Pool::None),
        0x03 => ("move/16", F32x, Pool::None),
        0x04 => ("move-wide", F12x, Pool::None),
        0x05 => ("move-wide/from16", F22x, Pool::None),
        0x06 => ("move-wide/16", F32x, Pool::None),
        0x07 => ("move-object", F12x, Pool::None),
        0x08 => ("move-object/from16", F22x, Pool::None),
        0x09 => ("move-object/16", F32x, Pool::None),
        0x0a => ("move-result", F11x, Pool::None),
        0x0b => ("move-result-wide", F11x, Pool::None),
        0x0c => ("move-result-object", F11x, Pool::None),
        0x0d => ("move-exception", F11x, Pool::None),
        0x0e => ("return-void", F10x, Pool::None),
        0x0f => ("return", F11x, Pool::None),
        0x10 => ("return-wide", F11x, Pool::None),
        0x11 => ("return-object", F11x, Pool::None),
        0x12 => ("const/4", F11n, Pool::None),
        0x13 => ("const/16", F21s, Pool::None),
        0x14 => ("const", F31i, Pool::None),
        0x15 => ("const/high16", F21h, Pool::None),
        0x16 => ("const-wide/16", F21s, Pool::None),
        0x17 => ("const-wide/32", F31i, Pool::None),
        0x18 => ("const-wide", F51l, Pool::None),
        0x19 => ("const-wide/high16", F21h, Pool::None),
        0x1a => ("const-string", F21c, Pool::String),
        0x1b => ("const-string/jumbo", F31c, Pool::String),
        0x1c => ("const-class", F21c, Pool::Type),
        0x1d => ("monitor-enter", F11x, Pool::None),
        0x1e => ("monitor-exit", F11x, Pool::None),
        0x1f => ("check-cast", F21c, Pool::Type),
        0x20 => ("instance-of", F22c, Pool::Type),
        0x21 => ("array-length", F12x, Pool::None),
        0x22 => ("new-instance", F21c, Pool::Type),
        0x23 => ("new-array", F22c, Pool::Type),
        0x24 => ("filled-new-array", F35c, Pool::Type),
        0x25 => ("filled-new-array/range", F3rc, Pool::Type),
        0x26 => ("fill-array-data", F31t, Pool::None),
        0x27 => ("throw", F11x, Pool::None),
        0x28 => ("goto", F10t, Pool::None),
        0x29 => ("goto/16", F20t, Pool::None),
        0x2a => ("goto/32", F30t, Pool::None),
        0x2b => ("packed-switch", F31t, Pool::None),
        0x2c => ("sparse-switch", F31t, Pool::None),
        0x2d..=0x31 => (at(&CMP, 0x2d), F23x, Pool::None),
        0x32..=0x37 => (at(&IF_TEST, 0x32), F22t, Pool::None),
        0x38..=0x3d => (at(&IF_TESTZ, 0x38), F21t, Pool::None),
        0x44..=0x51 => (at(&ARRAY_OPS, 0x44), F23x, Pool::None),
        0x52..=0x5f => (at(&INSTANCE_OPS, 0x52), F22c, Pool::Field),
        0x60..=0x6d => (at(&STATIC_OPS, 0x60), F21c, Pool::Field),
        0x6e..=0x72 => (at(&INVOKES, 0x6e), F35c, Pool::Method),
        0x74..=0x78 => (at(&INVOKES_RANGE, 0x74), F3rc, Pool::Method),
        0x7b..=0x8f => (at(&UNOPS, 0x7b), F12x, Pool::None),
        0x90..=0xaf => (at(&BINOPS, 0x90), F23x, Pool::None),
        0xb0..=0xcf => (at(&BINOPS_2ADDR, 0xb0), F12x, Pool::None),
        0xd0..=0xd7 => (at(&LIT16, 0xd0), F22s, Pool::None),
        0xd8..=0xe2 => (at(&LIT8, 0xd8), F22b, Pool::None),
        0xfa => ("invoke-polymorphic", F45cc, Pool::Method),
        0xfb => ("invoke-polymorphic/range", F4rcc, Pool::Method),
        0xfc => ("invoke-custom", F35c, Pool::CallSite),
        0xfd => ("invoke-custom/range", F3rc, Pool::CallSite),
        0xfe => ("const-method-handle", F21c, Pool::MethodHandle),
        0xff => ("const-method-type", F21c, Pool::Proto),
        // 0x3e..=0x43, 0x73, 0x79, 0x7a, 0xe3..=0xf9
        _ => UNUSED,
    }
}

fn is_unused(op: u8) -> bool {
    matches!(op, 0x3e..=0x43 | 0x73 | 0x79 | 0x7a | 0xe3..=0xf9)
}

/// Iterator over the instructions of a code item.
#[derive(Debug, Clone)]
pub struct Instructions<'a> {
    insns: &'a [u8],
    insns_offset: u64,
    pc: u32,
    failed: bool,
}

impl Instructions<'_> {
    /// Code unit `pc + i`, if inside the method.
    fn unit(&self, i: u32) -> Option<u16> {
        let at = (self.pc as usize).checked_add(i as usize)?.checked_mul(2)?;
        let bytes = self.insns.get(at..at + 2)?;
        Some(u16::from_le_bytes([bytes[0], bytes[1]]))
    }

    fn error(&mut self, reason: &'static str) -> Option<Result<Instruction, DexError>> {
        self.failed = true;
        Some(Err(DexError::BadInstruction {
            offset: self.insns_offset + u64::from(self.pc) * 2,
            reason,
        }))
    }

    fn decode_payload(&self, ident: u16) -> Option<(Op, u32, Option<i64>)> {
        let size = u32::from(self.unit(1)?);
        Some(match ident {
            0x0100 => (Op::PackedSwitchPayload, 4 + size * 2, None),
            0x0200 => (Op::SparseSwitchPayload, 2 + size * 4, None),
            _ => {
                let width = size;
                let count = u64::from(self.unit(2)?) | (u64::from(self.unit(3)?) << 16);
                let bytes = count.checked_mul(u64::from(width))?;
                let units = 4 + bytes.div_ceil(2);
                (
                    Op::FillArrayDataPayload,
                    u32::try_from(units).ok()?,
                    Some(i64::from(width)),
                )
            }
        })
    }
}

impl Iterator for Instructions<'_> {
    type Item = Result<Instruction, DexError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let first = self.unit(0)?;
        let op = (first & 0xff) as u8;
        let high = first >> 8;

        if op == 0x00 && matches!(high, 0x01..=0x03) {
            let Some((payload, units, literal)) = self.decode_payload(first) else {
                return self.error("truncated payload");
            };
            if self.unit(units - 1).is_none() {
                return self.error("payload runs past the end of the method");
            }
            let instruction = Instruction {
                pc: self.pc,
                op: payload,
                format: Format::Payload,
                units,
                registers: Registers::list(&[]),
                literal,
                branch: None,
                reference: None,
                proto: None,
            };
            self.pc += units;
            return Some(Ok(instruction));
        }
        if is_unused(op) {
            return self.error("unused opcode");
        }

        let (_, format, pool) = opcode_info(op);
        let units = format.units();
        let mut words = [0u16; 5];
        for i in 0..units {
            match self.unit(i) {
                Some(unit) => words[i as usize] = unit,
                None => return self.error("instruction runs past the end of the method"),
            }
        }
        let w = |i: usize| u32::from(words[i]);
        let a4 = high & 0x0f;
        let b4 = high >> 4;
        let aa = high;
        let wide32 = |i: usize| w(i) | (w(i + 1) << 16);
        let (mut registers, mut literal, mut branch, mut index, mut proto) =
            (Registers::list(&[]), None, None, None, None);
        use Format::*;
        match format {
            F10x => {}
            F12x => registers = Registers::list(&[a4, b4]),
            F11n => {
                registers = Registers::list(&[a4]);
                literal = Some(i64::from(((b4 as u8) << 4) as i8 >> 4));
            }
            F11x => registers = Registers::list(&[aa]),
            F10t => branch = Some(i32::from(aa as u8 as i8)),
            F20t => branch = Some(i32::from(words[1] as i16)),
            F22x => registers = Registers::list(&[aa, words[1]]),
            F21t => {
                registers = Registers::list(&[aa]);
                branch = Some(i32::from(words[1] as i16));
            }
            F21s => {
                registers = Registers::list(&[aa]);
                literal = Some(i64::from(words[1] as i16));
            }
            F21h => {
                registers = Registers::list(&[aa]);
                let shift = if op == 0x19 { 48 } else { 16 };
                literal = Some(i64::from(words[1] as i16) << shift);
            }
            F21c => {
                registers = Registers::list(&[aa]);
                index = Some(w(1));
            }
            F23x => registers = Registers::list(&[aa, words[1] & 0xff, words[1] >> 8]),
            F22b => {
                registers = Registers::list(&[aa, words[1] & 0xff]);
                literal = Some(i64::from((words[1] >> 8) as u8 as i8));
            }
            F22t => {
                registers = Registers::list(&[a4, b4]);
                branch = Some(i32::from(words[1] as i16));
            }
            F22s => {
                registers = Registers::list(&[a4, b4]);
                literal = Some(i64::from(words[1] as i16));
            }
            F22c => {
                registers = Registers::list(&[a4, b4]);
                index = Some(w(1));
            }
            F30t => branch = Some(wide32(1) as i32),
            F32x => registers = Registers::list(&[words[1], words[2]]),
            F31i => {
                registers = Registers::list(&[aa]);
                literal = Some(i64::from(wide32(1) as i32));
            }
            F31t => {
                registers = Registers::list(&[aa]);
                branch = Some(wide32(1) as i32);
            }
            F31c => {
                registers = Registers::list(&[aa]);
                index = Some(wide32(1));
            }
            F35c | F45cc => {
                let count = usize::from(b4);
                if count > 5 {
                    return self.error("more than five argument registers");
                }
                let all = [
                    words[2] & 0xf,
                    (words[2] >> 4) & 0xf,
                    (words[2] >> 8) & 0xf,
                    words[2] >> 12,
                    a4,
                ];
                registers = Registers::list(&all[..count]);
                index = Some(w(1));
                if format == F45cc {
                    proto = Some(w(3));
                }
            }
            F3rc | F4rcc => {
                registers = Registers::Range {
                    first: words[2],
                    count: aa,
                };
                index = Some(w(1));
                if format == F4rcc {
                    proto = Some(w(3));
                }
            }
            F51l => {
                registers = Registers::list(&[aa]);
                literal = Some((u64::from(wide32(1)) | (u64::from(wide32(3)) << 32)) as i64);
            }
            Payload => {}
        }
        let reference = index.and_then(|i| match pool {
            Pool::None => None,
            Pool::String => Some(Reference::String(i)),
            Pool::Type => Some(Reference::Type(i)),
            Pool::Field => Some(Reference::Field(i)),
            Pool::Method => Some(Reference::Method(i)),
            Pool::Proto => Some(Reference::Proto(i)),
            Pool::CallSite => Some(Reference::CallSite(i)),
            Pool::MethodHandle => Some(Reference::MethodHandle(i)),
        });
        let instruction = Instruction {
            pc: self.pc,
            op: Op::Opcode(op),
            format,
            units,
            registers,
            literal,
            branch,
            reference,
            proto,
        };
        self.pc += units;
        Some(Ok(instruction))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(units: &[u16]) -> Vec<Result<Instruction, DexError>> {
        let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        let code = CodeItem {
            registers: 8,
            ins: 0,
            outs: 0,
            tries: 0,
            debug_info_off: 0,
            insns: &bytes,
            insns_offset: 0,
            data: &bytes,
        };
        code.instructions().collect()
    }

    #[test]
    fn every_opcode_has_a_name_and_a_length() {
        for op in 0..=255u8 {
            let (name, format, _) = opcode_info(op);
            assert!(!name.is_empty());
            assert!(format.units() >= 1, "{op:#04x}");
            assert_eq!(is_unused(op), name == "unused", "{op:#04x} {name}");
        }
    }

    #[test]
    fn decodes_invoke_and_const_string() {
        // invoke-virtual {v0, v1}, method@0x0e ; const-string v1, string@0x32 ; return-void
        let insns = decode(&[0x206e, 0x000e, 0x0010, 0x011a, 0x0032, 0x000e]);
        let invoke = insns[0].as_ref().unwrap();
        assert_eq!(invoke.mnemonic(), "invoke-virtual");
        assert_eq!(invoke.reference, Some(Reference::Method(0x0e)));
        assert_eq!(invoke.registers, Registers::list(&[0, 1]));
        assert!(invoke.is_invoke());
        let string = insns[1].as_ref().unwrap();
        assert_eq!((string.pc, string.reference), (3, Some(Reference::String(0x32))));
        assert_eq!(insns[2].as_ref().unwrap().mnemonic(), "return-void");
    }

    #[test]
    fn decodes_literals_and_branches() {
        // const/4 v3, #-1 ; const-wide/high16 v0, #0x4000... ; if-eqz v2, -3 ; goto/32 +0x10000
        let insns = decode(&[0xf312, 0x0019, 0x4000, 0x0238, 0xfffd, 0x002a, 0x0000, 0x0001]);
        let values: Vec<(Option<i64>, Option<i32>)> = insns
            .iter()
            .map(|i| i.as_ref().map(|i| (i.literal, i.branch)).unwrap())
            .collect();
        assert_eq!(
            values,
            vec![
                (Some(-1), None),
                (Some(0x4000_0000_0000_0000), None),
                (None, Some(-3)),
                (None, Some(0x10000))
            ]
        );
    }

    #[test]
    fn payloads_have_their_own_length() {
        // nop, packed-switch-data of 2 targets (8 units), return-void
        let insns = decode(&[0x0000, 0x0100, 0x0002, 0, 0, 1, 0, 2, 0, 0x000e]);
        let names: Vec<&str> = insns.iter().map(|i| i.as_ref().unwrap().mnemonic()).collect();
        assert_eq!(names, vec!["nop", "packed-switch-data", "return-void"]);
        assert_eq!(insns[1].as_ref().unwrap().units, 8);
        // array-data with width 4, 3 elements: 4 + 6 units
        let array = decode(&[0x0300, 4, 3, 0, 1, 0, 2, 0, 3, 0]);
        assert_eq!(array[0].as_ref().unwrap().units, 10);
    }

    #[test]
    fn truncated_and_unused_opcodes_are_errors() {
        let insns = decode(&[0x206e, 0x000e]);
        assert!(insns[0].is_err());
        assert_eq!(insns.len(), 1);
        assert!(decode(&[0x003e])[0].is_err());
        // invoke with a register count of 6
        assert!(decode(&[0x606e, 0, 0])[0].is_err());
        // a packed switch claiming 0xffff targets in a 4-unit method
        assert!(decode(&[0x0100, 0xffff, 0, 0])[0].is_err());
    }
}
