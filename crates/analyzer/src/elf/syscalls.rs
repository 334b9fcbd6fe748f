//! Direct system calls: the instructions that enter the kernel without going through bionic,
//! with the syscall number when a constant is loaded into the number register shortly before.
//!
//! # What is walked
//!
//! The executable code is the `SHF_EXECINSTR` sections when the section headers are usable,
//! else the executable `PT_LOAD` segments. Inside it, every function symbol (`STT_FUNC` or
//! `STT_GNU_IFUNC` from `.symtab` and the dynamic symbols) and every ARM/AArch64 mapping
//! symbol (`$a`, `$t`, `$x`, `$d`) starts a new run of linear decoding, so a bad decode never
//! runs past the next function, `$d` literal pools are skipped, and ARM code is decoded in the
//! state its mapping symbol or odd function address (Thumb) gives. Bytes before the first such
//! symbol take the state of the first one; without any symbol the code is one linear sweep (ARM
//! state for 32-bit ARM). This is how `objdump -d` walks code too, which is what the oracle
//! tests compare against.
//!
//! # What is found
//!
//! `svc #0` on AArch64; `svc 0` in ARM (any condition) and Thumb state; `syscall` on x86-64;
//! `int 0x80` on x86. The number is the constant last written to the number register (`x8`/`w8`
//! by `movz`/`movn`/`movk`/`mov` of a logical immediate; `r7` by `mov`/`movs`/`movw`/`movt`;
//! `eax`/`rax` by `mov` of an immediate or `xor eax, eax`) in the same basic block: a branch, a
//! return, a call, a function start or a direct branch target between the load and the call
//! makes it unknown, and so does any other write to the register, a conditional one (ARM
//! condition codes, Thumb `IT` blocks) included. Writes are judged conservatively: an
//! instruction that names the register other than as the data of a store counts as a write, so
//! a number is only reported when it is certain from the instructions seen. Indirect branches
//! into the middle of a block are not known and cannot be accounted for.
//!
//! # Disassemblers
//!
//! `yaxpeax-arm` (A64, A32 and Thumb-2) and `yaxpeax-x86` (x86 and x86-64, with per-operand
//! read/write behaviour). They are pure Rust, decode from a byte slice without allocating, are
//! fuzzed upstream and get fuzzed again with this module's fuzz target (`capstone` is C, which
//! the fuzzer cannot instrument and a memory error in it would be ours). Thumb instruction
//! lengths are computed here from the first halfword, so a decoder gap (an encoding it does not
//! know) never desynchronises the walk; branch targets on ARM are computed from the encodings
//! here as well. `yaxpeax-x86` contains a few `unreachable_unchecked` in its decoder: the
//! residual risk of that choice.

use std::collections::BTreeMap;

use object::Endianness;
use object::elf as raw;
use object::read::elf::{FileHeader, SectionHeader, SectionTable, Sym};
use yaxpeax_arch::{Decoder, LengthedInstruction, U8Reader};
use yaxpeax_arm::armv7;
use yaxpeax_arm::armv8::a64;

use super::{Class, ElfError, ElfFile};
use crate::bytes::slice;

/// The instruction set a site was decoded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Isa {
    /// AArch64: number in `x8`, Linux arm64 syscall table.
    A64,
    /// ARM state of 32-bit ARM: number in `r7`, Linux EABI table.
    A32,
    /// Thumb state of 32-bit ARM: number in `r7`, Linux EABI table.
    T32,
    /// 32-bit x86 (`int 0x80`): number in `eax`, Linux i386 table.
    X86,
    /// x86-64 (`syscall`): number in `rax`, Linux x86-64 table.
    X86_64,
}

/// One instruction that enters the kernel directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyscallSite<'a> {
    /// Virtual address of the instruction.
    pub address: u64,
    pub isa: Isa,
    /// The section holding it, when section headers are usable.
    pub section: Option<&'a [u8]>,
    /// The instruction as the disassembler prints it, e.g. `svc #0x0` or `syscall`.
    pub instruction: String,
    /// The syscall number, when a constant reaches the number register in the same block.
    pub number: Option<u64>,
}

/// A run of executable bytes at a virtual address.
#[derive(Debug, Clone, Copy)]
struct CodeRegion<'a> {
    name: Option<&'a [u8]>,
    address: u64,
    bytes: &'a [u8],
}

/// What starts a run of decoding at an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// A mapping symbol: code in the given state from here on.
    Code(Isa),
    /// A `$d` mapping symbol: data (a literal pool) from here on.
    Data,
    /// A function symbol: code in the given state, a new basic block.
    Function(Isa),
}

pub(super) fn scan<'a>(file: &ElfFile<'a>) -> Result<Vec<SyscallSite<'a>>, ElfError> {
    let native = match (file.machine, file.class) {
        (m, Class::Elf64) if m == raw::EM_AARCH64.0 => Isa::A64,
        (m, Class::Elf32) if m == raw::EM_ARM.0 => Isa::A32,
        (m, Class::Elf32) if m == raw::EM_386.0 => Isa::X86,
        (m, Class::Elf64) if m == raw::EM_X86_64.0 => Isa::X86_64,
        (m, _) => return Err(ElfError::NoDisassembler(m)),
    };
    if file.byte_order != super::ByteOrder::Little {
        return Err(ElfError::NoDisassembler(file.machine));
    }
    let (regions, marks) = match file.class {
        Class::Elf32 => code_map::<raw::FileHeader32<Endianness>>(file, native),
        Class::Elf64 => code_map::<raw::FileHeader64<Endianness>>(file, native),
    };

    let mut walk = Walk::default();
    for region in &regions {
        let end = region.address.saturating_add(region.bytes.len() as u64);
        let inside: Vec<(u64, Mark)> = marks.range(region.address..end).map(|(&a, &m)| (a, m)).collect();
        let mut state = inside
            .first()
            .map_or(Mark::Code(native), |&(_, mark)| match mark {
                Mark::Function(isa) => Mark::Code(isa),
                other => other,
            });
        let mut start = region.address;
        for &(at, mark) in &inside {
            if at > start {
                walk.run(region, start, at, state);
            }
            state = mark;
            start = at;
        }
        walk.run(region, start, end, state);
    }
    Ok(walk.finish())
}

/// The executable regions (sorted by address, without aliased file bytes) and the marks from
/// the symbol tables, keyed by address.
fn code_map<'a, Elf: FileHeader<Endian = Endianness>>(
    file: &ElfFile<'a>,
    native: Isa,
) -> (Vec<CodeRegion<'a>>, BTreeMap<u64, Mark>) {
    let data = file.data;
    let sections = Elf::parse(data)
        .ok()
        .and_then(|header| Some((header.endian().ok()?, header)))
        .and_then(|(endian, header)| Some((endian, header.sections(endian, data).ok()?)));

    let mut regions = Vec::new();
    let mut marks = BTreeMap::new();
    if let Some((endian, sections)) = &sections {
        for section in sections.iter() {
            let flags = section.sh_flags(*endian).0;
            let wanted = raw::SHF_EXECINSTR.0 | raw::SHF_ALLOC.0;
            if flags & wanted != wanted || section.sh_type(*endian) == raw::SHT_NOBITS {
                continue;
            }
            let Some(bytes) = slice(
                data,
                section.sh_offset(*endian).into(),
                section.sh_size(*endian).into(),
            ) else {
                continue;
            };
            regions.push(CodeRegion {
                name: sections.section_name(*endian, section).ok(),
                address: section.sh_addr(*endian).into(),
                bytes,
            });
        }
        for kind in [raw::SHT_DYNSYM, raw::SHT_SYMTAB] {
            add_marks::<Elf>(*endian, data, sections, kind, native, &mut marks);
        }
    }
    if regions.is_empty() {
        for load in file.loads.iter().filter(|l| l.is_executable()) {
            if let Some(bytes) = slice(data, load.offset, load.file_size) {
                regions.push(CodeRegion {
                    name: None,
                    address: load.vaddr,
                    bytes,
                });
            }
        }
    }
    add_dynamic_marks::<Elf>(file, native, &mut marks);

    // A hostile file can point many regions at the same bytes; decode each file byte once.
    regions.sort_by_key(|r| r.bytes.as_ptr() as usize);
    let mut covered_to = 0usize;
    regions.retain(|r| {
        let start = r.bytes.as_ptr() as usize;
        let keep = start >= covered_to;
        if keep {
            covered_to = start + r.bytes.len();
        }
        keep
    });
    regions.sort_by_key(|r| r.address);
    (regions, marks)
}

/// Marks from one symbol table section (`.symtab` or `.dynsym`).
fn add_marks<'a, Elf: FileHeader<Endian = Endianness>>(
    endian: Endianness,
    data: &'a [u8],
    sections: &SectionTable<'a, Elf>,
    kind: raw::SectionType,
    native: Isa,
    marks: &mut BTreeMap<u64, Mark>,
) {
    let Ok(table) = sections.symbols(endian, data, kind) else {
        return;
    };
    for symbol in table.symbols() {
        let name = table.symbol_name(endian, symbol).unwrap_or_default();
        add_mark(
            symbol.st_type(),
            symbol.st_value(endian).into(),
            symbol.st_shndx(endian),
            name,
            native,
            marks,
        );
    }
}

/// Marks from the dynamic symbols, found through the dynamic section as the loader finds them
/// (they duplicate `.dynsym` when section headers exist, and are all there is when not).
fn add_dynamic_marks<Elf: FileHeader<Endian = Endianness>>(
    file: &ElfFile<'_>,
    native: Isa,
    marks: &mut BTreeMap<u64, Mark>,
) {
    let Some(symbols) = super::dynamic::dynamic_symbol_slice::<Elf>(file) else {
        return;
    };
    let endian = if file.byte_order == super::ByteOrder::Big {
        Endianness::Big
    } else {
        Endianness::Little
    };
    for symbol in symbols {
        add_mark(
            symbol.st_type(),
            symbol.st_value(endian).into(),
            symbol.st_shndx(endian),
            b"",
            native,
            marks,
        );
    }
}

fn add_mark(
    kind: raw::SymbolType,
    value: u64,
    shndx: raw::SymbolSection,
    name: &[u8],
    native: Isa,
    marks: &mut BTreeMap<u64, Mark>,
) {
    if shndx == raw::SHN_UNDEF || shndx == raw::SHN_ABS {
        return;
    }
    if kind == raw::STT_FUNC || kind == raw::STT_GNU_IFUNC {
        let (at, isa) = match native {
            Isa::A32 | Isa::T32 if value & 1 == 1 => (value & !1, Isa::T32),
            other => (value, other),
        };
        // A mapping symbol at the same address is more precise; keep it.
        marks.entry(at).or_insert(Mark::Function(isa));
        return;
    }
    let mapping = match (native, name.get(..2), name.get(2)) {
        (_, _, Some(&c)) if c != b'.' => return,
        (Isa::A32 | Isa::T32, Some(b"$a"), _) => Mark::Code(Isa::A32),
        (Isa::A32 | Isa::T32, Some(b"$t"), _) => Mark::Code(Isa::T32),
        (Isa::A64, Some(b"$x"), _) => Mark::Code(Isa::A64),
        (Isa::A32 | Isa::T32 | Isa::A64, Some(b"$d"), _) => Mark::Data,
        _ => return,
    };
    let entry = marks.entry(value).or_insert(mapping);
    if let Mark::Function(_) = entry {
        *entry = match mapping {
            Mark::Code(isa) => Mark::Function(isa),
            other => other,
        };
    }
}

/// A change to the syscall number register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Write {
    None,
    Constant(u64),
    /// `movt`: the upper 16 bits of `r7`.
    Top16(u64),
    /// `movk`: 16 bits at a shift, in a register of the given width.
    Insert {
        value: u64,
        shift: u8,
        wide: bool,
    },
    Unknown,
}

/// What one instruction does that matters here.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Effect {
    syscall: Option<String>,
    write: Write,
    ends_block: bool,
    target: Option<u64>,
    /// Length of a Thumb `IT` block this instruction opens.
    it_block: u8,
}

impl Effect {
    fn none() -> Self {
        Effect {
            syscall: None,
            write: Write::None,
            ends_block: false,
            target: None,
            it_block: 0,
        }
    }
}

#[derive(Debug, Default)]
struct Walk<'a> {
    sites: Vec<(SyscallSite<'a>, Option<u64>)>,
    /// Direct branch targets seen in the fully decoded runs.
    targets: Vec<u64>,
    /// Addresses of every instruction in the fully decoded runs.
    boundaries: Vec<u64>,
}

impl<'a> Walk<'a> {
    /// Decodes `start..end` of `region` in the state `mark` gives.
    fn run(&mut self, region: &CodeRegion<'a>, start: u64, end: u64, mark: Mark) {
        let isa = match mark {
            Mark::Data => return,
            Mark::Code(isa) | Mark::Function(isa) => isa,
        };
        if !has_syscall(region, start, end, isa) {
            return;
        }
        let a64 = a64::InstDecoder::default();
        // Strict ("should be" bits must be as the manual says): the permissive decoder of
        // yaxpeax-arm 0.5 panics on A32 LDRD/STRD with Rt = 15 (it builds register Rt + 1),
        // which the strict one rejects as an odd Rt before getting there.
        let arm = armv7::InstDecoder::default().allow_nonconforming(false);
        let thumb = armv7::InstDecoder::default_thumb().allow_nonconforming(false);
        let x86 = yaxpeax_x86::protected_mode::InstDecoder::default();
        let x64 = yaxpeax_x86::long_mode::InstDecoder::default();

        // (value, address of the instruction that set it)
        let mut known: Option<(u64, u64)> = None;
        let mut conditional = 0u8;
        let mut address = start;
        while address < end {
            let Some(bytes) = region.bytes.get((address - region.address) as usize..) else {
                break;
            };
            self.boundaries.push(address);
            let (len, mut effect) = match isa {
                Isa::A64 => (4, a64_effect(&a64, bytes, address)),
                Isa::A32 => (4, arm_effect(&arm, bytes, address, false)),
                Isa::T32 => (thumb_len(bytes), arm_effect(&thumb, bytes, address, true)),
                Isa::X86 => x86_effect(&x86, bytes, address),
                Isa::X86_64 => x64_effect(&x64, bytes, address),
            };
            if conditional > 0 {
                conditional -= 1;
                if effect.write != Write::None {
                    effect.write = Write::Unknown;
                }
            }
            if let Some(instruction) = effect.syscall {
                self.sites.push((
                    SyscallSite {
                        address,
                        isa,
                        section: region.name,
                        instruction,
                        number: known.map(|(value, _)| value),
                    },
                    known.map(|(_, at)| at),
                ));
            }
            known = match effect.write {
                Write::None => known,
                Write::Constant(value) => Some((value, address)),
                Write::Top16(top) => known.map(|(value, _)| ((value & 0xffff) | top << 16, address)),
                Write::Insert { value, shift, wide } => known.map(|(old, _)| {
                    let mask = 0xffffu64 << shift;
                    let new = (old & !mask) | (value << shift & mask);
                    (if wide { new } else { new & 0xffff_ffff }, address)
                }),
                Write::Unknown => None,
            };
            if effect.ends_block {
                known = None;
            }
            if effect.it_block > 0 {
                conditional = effect.it_block;
            }
            if let Some(target) = effect.target {
                self.targets.push(target);
            }
            address = address.saturating_add(len.max(1));
        }
    }

    /// The sites in address order, with numbers dropped where a direct branch lands between
    /// the constant load and the call. Targets that are not instruction boundaries come from
    /// data decoded as code and are ignored.
    fn finish(mut self) -> Vec<SyscallSite<'a>> {
        self.targets.sort_unstable();
        self.targets.dedup();
        self.boundaries.sort_unstable();
        let boundaries = &self.boundaries;
        let targets: Vec<u64> = self
            .targets
            .iter()
            .copied()
            .filter(|t| boundaries.binary_search(t).is_ok())
            .collect();
        let mut sites: Vec<SyscallSite<'a>> = self
            .sites
            .into_iter()
            .map(|(mut site, loaded_at)| {
                if let Some(loaded_at) = loaded_at {
                    let first_after = targets.partition_point(|&t| t <= loaded_at);
                    if targets.get(first_after).is_some_and(|&t| t <= site.address) {
                        site.number = None;
                    }
                }
                site
            })
            .collect();
        sites.sort_by_key(|s| s.address);
        sites
    }
}

/// Whether `start..end` holds a syscall instruction: a walk by instruction length alone (the
/// encodings are fixed bit patterns on ARM), so that only runs with a site are fully decoded.
fn has_syscall(region: &CodeRegion<'_>, start: u64, end: u64, isa: Isa) -> bool {
    // x86 needs a full decode to find instruction boundaries; no run without the opcode bytes
    // (which no prefix can split) can hold the instruction, so most runs are skipped unread.
    let opcode: &[u8] = match isa {
        Isa::X86 => &[0xcd, 0x80],
        Isa::X86_64 => &[0x0f, 0x05],
        _ => &[],
    };
    if !opcode.is_empty() {
        let from = (start - region.address) as usize;
        let to = ((end - region.address) as usize + opcode.len() - 1).min(region.bytes.len());
        if !region
            .bytes
            .get(from..to)
            .is_some_and(|run| run.windows(opcode.len()).any(|w| w == opcode))
        {
            return false;
        }
    }
    let x86 = yaxpeax_x86::protected_mode::InstDecoder::default();
    let x64 = yaxpeax_x86::long_mode::InstDecoder::default();
    let mut address = start;
    while address < end {
        let Some(bytes) = region.bytes.get((address - region.address) as usize..) else {
            return false;
        };
        let word = bytes
            .get(..4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes);
        let (len, hit) = match isa {
            Isa::A64 => (4, word == Some(SVC_0_A64)),
            Isa::A32 => (
                4,
                word.is_some_and(|w| w & 0x0fff_ffff == SVC_0_A32 && w >> 28 != 0xf),
            ),
            Isa::T32 => (thumb_len(bytes), bytes.get(..2) == Some(&SVC_0_T32)),
            Isa::X86 => match x86.decode(&mut U8Reader::new(bytes)) {
                Ok(inst) => (
                    u64::from(inst.len().to_const()),
                    inst.opcode() == yaxpeax_x86::protected_mode::Opcode::INT,
                ),
                Err(_) => (1, false),
            },
            Isa::X86_64 => match x64.decode(&mut U8Reader::new(bytes)) {
                Ok(inst) => (
                    inst.len().to_const(),
                    inst.opcode() == yaxpeax_x86::long_mode::Opcode::SYSCALL,
                ),
                Err(_) => (1, false),
            },
        };
        if hit {
            return true;
        }
        address = address.saturating_add(len);
    }
    false
}

/// `svc #0` (A64), `svc 0` without its condition (A32), `svc 0` (Thumb, little-endian bytes).
const SVC_0_A64: u32 = 0xd400_0001;
const SVC_0_A32: u32 = 0x0f00_0000;
const SVC_0_T32: [u8; 2] = [0x00, 0xdf];

/// Length of the Thumb instruction starting with the halfword at `bytes`: 32-bit encodings
/// start with `0b11101`, `0b11110` or `0b11111`.
fn thumb_len(bytes: &[u8]) -> u64 {
    match bytes.get(..2) {
        Some(&[_, high]) if high >> 3 >= 0b11101 => 4,
        _ => 2,
    }
}

fn a64_effect(decoder: &a64::InstDecoder, bytes: &[u8], address: u64) -> Effect {
    use a64::{Opcode, Operand, SizeCode};
    let mut effect = Effect::none();
    let Ok(inst) = decoder.decode(&mut U8Reader::new(bytes)) else {
        // Whatever it is, it might write x8.
        effect.write = Write::Unknown;
        return effect;
    };
    let ops = &inst.operands;
    let is_x8 = |op: &Operand| {
        matches!(
            op,
            Operand::Register(_, 8) | Operand::RegisterOrSP(_, 8) | Operand::RegisterPair(_, 8)
        )
    };
    let wide = matches!(
        ops[0],
        Operand::Register(SizeCode::X, _) | Operand::RegisterOrSP(SizeCode::X, _)
    );
    let width_mask = if wide { u64::MAX } else { 0xffff_ffff };
    match inst.opcode {
        Opcode::SVC => {
            if ops[0] == Operand::Imm16(0) {
                effect.syscall = Some(inst.to_string());
            }
            return effect;
        }
        Opcode::B | Opcode::BL | Opcode::Bcc(_) | Opcode::BCcc(_) | Opcode::CBZ | Opcode::CBNZ => {
            effect.ends_block = true;
            effect.target = ops.iter().find_map(|op| match op {
                Operand::PCOffset(offset) => Some(address.wrapping_add(*offset as u64)),
                _ => None,
            });
            return effect;
        }
        Opcode::TBZ | Opcode::TBNZ => {
            effect.ends_block = true;
            effect.target = ops.iter().find_map(|op| match op {
                Operand::PCOffset(offset) => Some(address.wrapping_add(*offset as u64)),
                _ => None,
            });
            return effect;
        }
        Opcode::BR
        | Opcode::BLR
        | Opcode::RET
        | Opcode::ERET
        | Opcode::BLRAA
        | Opcode::BLRAAZ
        | Opcode::BLRAB
        | Opcode::BLRABZ
        | Opcode::BRAA
        | Opcode::BRAAZ
        | Opcode::BRAB
        | Opcode::BRABZ
        | Opcode::RETAA
        | Opcode::RETAB
        | Opcode::ERETAA
        | Opcode::ERETAB
        | Opcode::RETAASPPC
        | Opcode::RETABSPPC
        | Opcode::RETAASPPCR
        | Opcode::RETABSPPCR
        | Opcode::UDF
        | Opcode::BRK
        | Opcode::HLT => {
            effect.ends_block = true;
            return effect;
        }
        _ => {}
    }
    if is_x8(&ops[0]) {
        effect.write = match (inst.opcode, ops[1], ops[2]) {
            (Opcode::MOVZ, Operand::ImmShift(imm, shift), _) if shift < 64 => {
                Write::Constant((u64::from(imm) << shift) & width_mask)
            }
            (Opcode::MOVN, Operand::ImmShift(imm, shift), _) if shift < 64 => {
                Write::Constant(!(u64::from(imm) << shift) & width_mask)
            }
            (Opcode::MOVK, Operand::ImmShift(imm, shift), _) if shift < 64 => Write::Insert {
                value: u64::from(imm),
                shift,
                wide,
            },
            (Opcode::ORR, Operand::Register(_, 31), Operand::Immediate(imm)) => {
                Write::Constant(u64::from(imm) & width_mask)
            }
            (Opcode::ORR, Operand::Register(_, 31), Operand::Imm64(imm)) => Write::Constant(imm & width_mask),
            (opcode, _, _) if is_store(opcode) => Write::None,
            _ => Write::Unknown,
        };
    }
    let writes_back_x8 = ops.iter().any(|op| {
        matches!(
            op,
            Operand::RegPreIndex(8, _, true) | Operand::RegPostIndex(8, _) | Operand::RegPostIndexReg(8, _)
        )
    });
    let names_x8_elsewhere = ops[1..].iter().any(is_x8) && !is_store(inst.opcode);
    if writes_back_x8 || names_x8_elsewhere {
        effect.write = Write::Unknown;
    }
    effect
}

/// A64 stores whose first operand is only read (the data stored).
fn is_store(opcode: a64::Opcode) -> bool {
    use a64::Opcode::*;
    matches!(
        opcode,
        STR | STRB
            | STRH
            | STRW
            | STUR
            | STURB
            | STURH
            | STP
            | STNP
            | STLR
            | STLRB
            | STLRH
            | STLLR
            | STLLRB
            | STLLRH
            | STTR
            | STTRB
            | STTRH
            | STLUR
            | STLURB
            | STLURH
    )
}

/// `r7`, the EABI syscall number register, and `pc`.
const R7: u8 = 7;
const PC: u8 = 15;

fn arm_effect(decoder: &armv7::InstDecoder, bytes: &[u8], address: u64, thumb: bool) -> Effect {
    use armv7::{ConditionCode, Opcode, Operand};
    let mut effect = Effect::none();
    effect.target = arm_branch_target(bytes, address, thumb);
    let Ok(inst) = decoder.decode(&mut U8Reader::new(bytes)) else {
        // Whatever it is, it might write r7.
        effect.ends_block = effect.target.is_some();
        effect.write = Write::Unknown;
        return effect;
    };
    let ops = &inst.operands;
    let conditional = inst.condition != ConditionCode::AL;
    let names = |reg: u8| {
        ops.iter().any(|op| match *op {
            Operand::Reg(r) | Operand::RegWBack(r, _) => r.number() == reg,
            Operand::RegList(list) => list & (1 << reg) != 0,
            _ => false,
        })
    };
    let writes_back = |reg: u8| {
        ops.iter().any(|op| match *op {
            Operand::RegWBack(r, wback) => r.number() == reg && wback,
            Operand::RegDerefPostindexRegShift(r, ..)
            | Operand::RegDerefPostindexOffset(r, ..)
            | Operand::RegDerefPostindexReg(r, ..) => r.number() == reg,
            Operand::RegDerefPreindexRegShift(r, _, _, wback)
            | Operand::RegDerefPreindexOffset(r, _, _, wback)
            | Operand::RegDerefPreindexReg(r, _, _, wback) => r.number() == reg && wback,
            _ => false,
        })
    };
    let is_reg = |op: &Operand, reg: u8| matches!(op, Operand::Reg(r) if r.number() == reg);
    let reads_only = matches!(
        inst.opcode,
        Opcode::STR
            | Opcode::STRB
            | Opcode::STRH
            | Opcode::STRD
            | Opcode::STRT
            | Opcode::STRBT
            | Opcode::STRHT
            | Opcode::STM(..)
            | Opcode::PUSH
            | Opcode::CMP
            | Opcode::CMN
            | Opcode::TST
            | Opcode::TEQ
    );

    match inst.opcode {
        Opcode::SVC => {
            if ops[0] == Operand::Imm32(0) {
                effect.syscall = Some(inst.to_string());
            }
            return effect;
        }
        Opcode::IT => {
            if let Operand::Imm32(mask) = ops[1] {
                effect.it_block = 4u8.saturating_sub((mask & 0xf).trailing_zeros() as u8);
            }
            return effect;
        }
        Opcode::B
        | Opcode::BL
        | Opcode::BLX
        | Opcode::BX
        | Opcode::BXJ
        | Opcode::CBZ
        | Opcode::CBNZ
        | Opcode::TBB
        | Opcode::TBH
        | Opcode::ERET
        | Opcode::RFE(..)
        | Opcode::UDF => effect.ends_block = true,
        _ => {}
    }
    // Writes to pc (`pop {..., pc}`, `ldr pc, ...`, `mov pc, lr`) leave the block too.
    if (is_reg(&ops[0], PC) && !reads_only)
        || (names(PC) && matches!(inst.opcode, Opcode::POP | Opcode::LDM(..)))
    {
        effect.ends_block = true;
    }

    let first_is_r7 = is_reg(&ops[0], R7);
    effect.write = match (inst.opcode, ops[1]) {
        (Opcode::MOV, Operand::Imm32(imm)) if first_is_r7 && !conditional => Write::Constant(u64::from(imm)),
        (Opcode::MOVT, Operand::Imm32(imm)) if first_is_r7 && !conditional => {
            Write::Top16(u64::from(imm & 0xffff))
        }
        _ if writes_back(R7) => Write::Unknown,
        _ if reads_only => Write::None,
        _ if names(R7) => Write::Unknown,
        _ => Write::None,
    };
    effect
}

/// Target of a direct ARM or Thumb branch, from the encoding.
fn arm_branch_target(bytes: &[u8], address: u64, thumb: bool) -> Option<u64> {
    let sext = |value: u32, bits: u32| (((value << (32 - bits)) as i32) >> (32 - bits)) as i64 as u64;
    if !thumb {
        let word = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?);
        if (word >> 25) & 0b111 != 0b101 {
            return None;
        }
        let mut offset = sext(word & 0x00ff_ffff, 24) << 2;
        if word >> 28 == 0xf {
            // BLX (immediate): H bit selects the halfword.
            offset = offset.wrapping_add(u64::from((word >> 24) & 1) << 1);
        }
        return Some(address.wrapping_add(8).wrapping_add(offset));
    }
    let first = u32::from(u16::from_le_bytes(bytes.get(..2)?.try_into().ok()?));
    let pc = address.wrapping_add(4);
    if first >> 12 == 0b1101 && (first >> 8) & 0xf < 0xe {
        return Some(pc.wrapping_add(sext(first & 0xff, 8) << 1));
    }
    if first >> 11 == 0b11100 {
        return Some(pc.wrapping_add(sext(first & 0x7ff, 11) << 1));
    }
    if first & 0xf500 == 0xb100 {
        // CBZ / CBNZ: i:imm5, forward only.
        let offset = ((first >> 9) & 1) << 6 | ((first >> 3) & 0x1f) << 1;
        return Some(pc.wrapping_add(u64::from(offset)));
    }
    if first >> 11 != 0b11110 {
        return None;
    }
    let second = u32::from(u16::from_le_bytes(bytes.get(2..4)?.try_into().ok()?));
    if second >> 15 != 1 {
        return None;
    }
    let s = (first >> 10) & 1;
    let j1 = (second >> 13) & 1;
    let j2 = (second >> 11) & 1;
    match (second >> 12) & 0b101 {
        0b000 => {
            // B<c>.W (T3), unless the condition field makes it another instruction.
            if (first >> 6) & 0xf >= 0xe {
                return None;
            }
            let imm = s << 20 | j2 << 19 | j1 << 18 | (first & 0x3f) << 12 | (second & 0x7ff) << 1;
            Some(pc.wrapping_add(sext(imm, 21)))
        }
        kind => {
            let i1 = !(j1 ^ s) & 1;
            let i2 = !(j2 ^ s) & 1;
            let imm = s << 24 | i1 << 23 | i2 << 22 | (first & 0x3ff) << 12 | (second & 0x7ff) << 1;
            let offset = sext(imm, 25);
            if kind == 0b100 {
                // BLX to ARM state: the target is word aligned.
                Some((pc & !3).wrapping_add(offset))
            } else {
                Some(pc.wrapping_add(offset))
            }
        }
    }
}

/// x86 and x86-64 effects, one per decoder module (their types differ, the logic does not).
macro_rules! x86_effect {
    ($name:ident, $module:ident, $jcxz:ident, $syscall:expr, $imm64:expr) => {
        fn $name(decoder: &yaxpeax_x86::$module::InstDecoder, bytes: &[u8], address: u64) -> (u64, Effect) {
            use yaxpeax_x86::$module::{Opcode, Operand, RegSpec, register_class};
            let mut effect = Effect::none();
            let Ok(inst) = decoder.decode(&mut U8Reader::new(bytes)) else {
                // Whatever it is, it might write the number register.
                effect.write = Write::Unknown;
                return (1, effect);
            };
            let len = u64::from(inst.len().to_const());
            let is_ax = |reg: RegSpec| {
                let class = reg.class();
                (reg.num() == 0 && (class == register_class::D || class == register_class::W || class == register_class::B))
                    || (class == register_class::B && reg.num() == 4)
                    || is_wide_ax(reg)
            };
            let opcode = inst.opcode();
            let is_syscall: fn(&yaxpeax_x86::$module::Instruction) -> bool = $syscall;
            if is_syscall(&inst) {
                effect.syscall = Some(inst.to_string());
                // The kernel returns its result in the number register.
                effect.write = Write::Unknown;
                return (len, effect);
            }
            match opcode {
                Opcode::JMP
                | Opcode::JMPF
                | Opcode::CALL
                | Opcode::CALLF
                | Opcode::RETURN
                | Opcode::RETF
                | Opcode::IRET
                | Opcode::IRETD
                | Opcode::IRETQ
                | Opcode::HLT
                | Opcode::UD0
                | Opcode::UD1
                | Opcode::UD2
                | Opcode::JO
                | Opcode::JNO
                | Opcode::JB
                | Opcode::JNB
                | Opcode::JZ
                | Opcode::JNZ
                | Opcode::JA
                | Opcode::JNA
                | Opcode::JS
                | Opcode::JNS
                | Opcode::JP
                | Opcode::JNP
                | Opcode::JL
                | Opcode::JGE
                | Opcode::JLE
                | Opcode::JG
                | Opcode::LOOP
                | Opcode::LOOPZ
                | Opcode::LOOPNZ
                | Opcode::JECXZ
                | Opcode::$jcxz => {
                    effect.ends_block = true;
                    let relative = match inst.operand(0) {
                        Operand::ImmediateI8 { imm } => Some(i64::from(imm)),
                        Operand::ImmediateI32 { imm } => Some(i64::from(imm)),
                        _ => None,
                    };
                    if inst.operand_count() == 1 {
                        effect.target = relative.map(|r| address.wrapping_add(len).wrapping_add(r as u64));
                    }
                }
                _ => {}
            }
            let first = if inst.operand_count() > 0 { Some(inst.operand(0)) } else { None };
            effect.write = match (opcode, first, inst.operand_count()) {
                (Opcode::MOV, Some(Operand::Register { reg }), 2) if is_ax(reg) && reg.width() >= 4 => {
                    match inst.operand(1) {
                        Operand::ImmediateU32 { imm } => Write::Constant(u64::from(imm)),
                        Operand::ImmediateI32 { imm } if reg.width() == 8 => Write::Constant(imm as i64 as u64),
                        Operand::ImmediateI32 { imm } => Write::Constant(u64::from(imm as u32)),
                        other => $imm64(other).map_or(Write::Unknown, Write::Constant),
                    }
                }
                (Opcode::XOR, Some(Operand::Register { reg }), 2)
                    if is_ax(reg) && reg.width() >= 4 && inst.operand(1) == (Operand::Register { reg }) =>
                {
                    Write::Constant(0)
                }
                _ => {
                    let behavior = inst.behavior();
                    match behavior.all_operands() {
                        Ok(operands) => {
                            let writes = operands.iter().any(|(op, access)| {
                                access.is_write() && matches!(op, Operand::Register { reg } if is_ax(reg))
                            });
                            if writes { Write::Unknown } else { Write::None }
                        }
                        Err(_) => Write::Unknown,
                    }
                }
            };
            (len, effect)
        }
    };
}

x86_effect!(
    x86_effect,
    protected_mode,
    JCXZ,
    |inst| {
        inst.opcode() == yaxpeax_x86::protected_mode::Opcode::INT
            && inst.operand(0) == (yaxpeax_x86::protected_mode::Operand::ImmediateU8 { imm: 0x80 })
    },
    |_| None
);
x86_effect!(
    x64_effect,
    long_mode,
    JRCXZ,
    |inst| inst.opcode() == yaxpeax_x86::long_mode::Opcode::SYSCALL,
    |op| match op {
        yaxpeax_x86::long_mode::Operand::ImmediateU64 { imm } => Some(imm),
        yaxpeax_x86::long_mode::Operand::ImmediateI64 { imm } => Some(imm as u64),
        _ => None,
    }
);

/// `rax`, which only the 64-bit register file has.
trait WideAx {
    fn is_rax(&self) -> bool;
}

impl WideAx for yaxpeax_x86::long_mode::RegSpec {
    fn is_rax(&self) -> bool {
        use yaxpeax_x86::long_mode::register_class;
        self.num() == 0 && (self.class() == register_class::Q || self.class() == register_class::RB)
    }
}

impl WideAx for yaxpeax_x86::protected_mode::RegSpec {
    fn is_rax(&self) -> bool {
        false
    }
}

fn is_wide_ax(reg: impl WideAx) -> bool {
    reg.is_rax()
}

#[cfg(test)]
mod tests;
