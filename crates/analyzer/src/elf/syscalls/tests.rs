//! Hand-assembled code in hand-built ELF files: each encoding below is what GNU as emits for
//! the instruction in its comment.

use super::super::testing::{DynSym, ElfBuilder};
use super::super::{Class, ElfError, ElfFile};
use super::*;

const STT_FUNC: u8 = 2;
const STT_NOTYPE: u8 = 0;

fn words(code: &[u32]) -> Vec<u8> {
    code.iter().flat_map(|w| w.to_le_bytes()).collect()
}

fn halfwords(code: &[u16]) -> Vec<u8> {
    code.iter().flat_map(|h| h.to_le_bytes()).collect()
}

/// Sites of `code` as (offset from the start of the code, number, instruction text).
fn sites(
    class: Class,
    machine: u16,
    code: Vec<u8>,
    symtab: Vec<(&'static str, u64, u8)>,
) -> Vec<(u64, Option<u64>, String)> {
    let mut builder = ElfBuilder::new(class, machine);
    builder.code = code;
    builder.symtab = symtab;
    let data = builder.build();
    let elf = ElfFile::parse(&data).unwrap();
    let found = elf.syscall_sites().unwrap();
    let text_start = found.first().map(|_| code_start(&data));
    found
        .into_iter()
        .map(|s| {
            assert_eq!(s.section, Some(&b".text"[..]));
            (s.address - text_start.unwrap(), s.number, s.instruction)
        })
        .collect()
}

fn code_start(data: &[u8]) -> u64 {
    // The builder puts the code at the first 16-byte boundary after the program headers.
    let elf = ElfFile::parse(data).unwrap();
    let ehsize = if elf.class == Class::Elf64 { 64 } else { 52 };
    let phsize = if elf.class == Class::Elf64 { 56 } else { 32 };
    let phnum =
        elf.loads.len() as u64 + u64::from(elf.dynamic.is_some()) + u64::from(elf.gnu_stack.is_some());
    (ehsize + phsize * phnum).next_multiple_of(16)
}

#[test]
fn aarch64_constant_and_runtime_numbers() {
    let code = words(&[
        0xd2801588, // mov x8, #0xac
        0xf90003e8, // str x8, [sp]            (reads x8: the number survives)
        0xd4000001, // svc #0                  -> 172
        0xaa0003e8, // mov x8, x0
        0xd4000001, // svc #0                  -> unknown
        0xd2800028, // mov x8, #0x1
        0xf2a00048, // movk x8, #0x2, lsl #16
        0xd4000001, // svc #0                  -> 0x20001
        0x12800008, // mov w8, #0xffffffff     (movn)
        0xd4000001, // svc #0                  -> 0xffffffff
        0x320003e8, // mov w8, #0x1            (orr w8, wzr, #1)
        0xd4000021, // svc #1                  (not svc #0: not a site)
        0xd4000001, // svc #0                  -> 1
        0xf9400008, // ldr x8, [x0]
        0xd4000001, // svc #0                  -> unknown
    ]);
    let found = sites(Class::Elf64, 183, code, vec![("f", 0, STT_FUNC)]);
    let numbers: Vec<(u64, Option<u64>)> = found.iter().map(|s| (s.0, s.1)).collect();
    assert_eq!(
        numbers,
        [
            (8, Some(172)),
            (16, None),
            (28, Some(0x20001)),
            (36, Some(0xffff_ffff)),
            (48, Some(1)),
            (56, None)
        ]
    );
    assert_eq!(found[0].2, "svc #0x0");
}

#[test]
fn aarch64_blocks_end_at_branches_and_branch_targets() {
    let code = words(&[
        0xd2800028, // 0:  mov x8, #1
        0xb4000040, // 4:  cbz x0, 12
        0xd2800048, // 8:  mov x8, #2
        0xd4000001, // 12: svc #0   (reached with x8 = 1 or 2: unknown)
        0xd2800068, // 16: mov x8, #3
        0x94000000, // 20: bl 20
        0xd4000001, // 24: svc #0   (after a call: unknown)
        0xd2800088, // 28: mov x8, #4
        0xd4000001, // 32: svc #0   -> 4
    ]);
    let found = sites(Class::Elf64, 183, code, vec![("f", 0, STT_FUNC)]);
    let numbers: Vec<(u64, Option<u64>)> = found.iter().map(|s| (s.0, s.1)).collect();
    assert_eq!(numbers, [(12, None), (24, None), (32, Some(4))]);
}

#[test]
fn aarch64_literal_pools_are_skipped() {
    let code = words(&[
        0xd2801588, 0xd65f03c0, 0xd4000001, 0xd4000001, 0xd2800028, 0xd4000001,
    ]);
    let symtab = vec![
        ("$x", 0, STT_NOTYPE),
        ("$d", 8, STT_NOTYPE),
        ("$x", 16, STT_NOTYPE),
    ];
    let found = sites(Class::Elf64, 183, code, symtab);
    assert_eq!(
        found.iter().map(|s| (s.0, s.1)).collect::<Vec<_>>(),
        [(20, Some(1))]
    );
}

#[test]
fn thumb_sites_from_odd_function_symbols() {
    let code = halfwords(&[
        0x2714, // 0:  movs r7, #20
        0xdf00, // 2:  svc 0                  -> 20
        0xf240, 0x175e, // 4: movw r7, #0x15e
        0xf2c0, 0x0701, // 8: movt r7, #1
        0xdf00, // 12: svc 0                  -> 0x1015e
        0x2800, // 14: cmp r0, #0
        0xbf18, // 16: it ne
        0x2701, // 18: movne r7, #1
        0xdf00, // 20: svc 0                  -> unknown (conditional write)
        0xf04f, 0x0714, // 22: mov.w r7, #20
        0xbc80, // 26: pop {r7}
        0xdf00, // 28: svc 0                  -> unknown
        0x2701, // 30: movs r7, #1
        0xe000, // 32: b.n 36
        0x2702, // 34: movs r7, #2
        0xdf00, // 36: svc 0                  -> unknown (branch target)
        0xf04f, 0x0714, // 38: mov.w r7, #20
        0xdf01, // 42: svc 1                  (not a site)
        0xdf00, // 44: svc 0                  -> 20
    ]);
    let found = sites(Class::Elf32, 40, code, vec![("f", 1, STT_FUNC)]);
    let numbers: Vec<(u64, Option<u64>)> = found.iter().map(|s| (s.0, s.1)).collect();
    assert_eq!(
        numbers,
        [
            (2, Some(20)),
            (12, Some(0x1015e)),
            (20, None),
            (28, None),
            (36, None),
            (44, Some(20))
        ]
    );
    assert_eq!(found[0].2, "svc 0x0");
}

#[test]
fn arm_state_and_mapping_symbols() {
    let mut code = words(&[
        0xe3a07014, // 0:  mov r7, #20
        0xef000000, // 4:  svc 0                 -> 20
        0xe300715e, // 8:  movw r7, #0x15e
        0x1f000000, // 12: svcne 0               -> 350 (conditional call, unconditional number)
        0x13a07001, // 16: movne r7, #1
        0xef000000, // 20: svc 0                 -> unknown
        0xef900014, // 24: svc 0x900014 (OABI encoding: not svc 0)
        0xe12fff1e, // 28: bx lr
    ]);
    code.extend(halfwords(&[0x2701, 0xdf00])); // 32: movs r7, #1; 34: svc 0 -> 1 (Thumb)
    code.extend(words(&[0xef000000])); // 36: literal pool
    let symtab = vec![
        ("$a", 0, STT_NOTYPE),
        ("$t", 32, STT_NOTYPE),
        ("$d", 36, STT_NOTYPE),
    ];
    let found = sites(Class::Elf32, 40, code, symtab);
    let summary: Vec<(u64, Option<u64>, &str)> = found.iter().map(|s| (s.0, s.1, s.2.as_str())).collect();
    assert_eq!(
        summary,
        [
            (4, Some(20), "svc 0x0"),
            (12, Some(350), "svcne 0x0"),
            (20, None, "svc 0x0"),
            (34, Some(1), "svc 0x0")
        ]
    );
}

#[test]
fn x86_64_and_x86() {
    let code = [
        &[0xb8, 0x27, 0, 0, 0][..],         // 0:  mov eax, 0x27
        &[0x0f, 0x05],                      // 5:  syscall          -> 39
        &[0x0f, 0x05],                      // 7:  syscall          -> unknown (rax holds the result)
        &[0x31, 0xc0],                      // 9:  xor eax, eax
        &[0xbf, 2, 0, 0, 0],                // 11: mov edi, 2
        &[0x0f, 0x05],                      // 16: syscall          -> 0
        &[0x48, 0xc7, 0xc0, 0xe7, 0, 0, 0], // 18: mov rax, 0xe7
        &[0xb0, 0x03],                      // 25: mov al, 3
        &[0x0f, 0x05],                      // 27: syscall          -> unknown
        &[0x48, 0x89, 0xf8],                // 29: mov rax, rdi
        &[0x0f, 0x05],                      // 32: syscall          -> unknown
        &[0xb8, 1, 0, 0, 0],                // 34: mov eax, 1
        &[0x74, 0x00],                      // 39: je 41
        &[0x0f, 0x05],                      // 41: syscall          -> unknown
    ]
    .concat();
    let found = sites(Class::Elf64, 62, code, vec![("f", 0, STT_FUNC)]);
    let numbers: Vec<(u64, Option<u64>)> = found.iter().map(|s| (s.0, s.1)).collect();
    assert_eq!(
        numbers,
        [
            (5, Some(39)),
            (7, None),
            (16, Some(0)),
            (27, None),
            (32, None),
            (41, None)
        ]
    );
    assert_eq!(found[0].2, "syscall");

    let code = [
        &[0xb8, 0x14, 0, 0, 0][..],
        &[0xcd, 0x80],
        &[0xcd, 0x21],
        &[0x0f, 0x05],
    ]
    .concat();
    let found = sites(Class::Elf32, 3, code, vec![]);
    assert_eq!(found, [(5, Some(20), "int 0x80".to_string())]);
}

#[test]
fn without_section_headers_the_executable_segments_are_swept() {
    let mut builder = ElfBuilder::new(Class::Elf64, 183);
    builder.code = words(&[0xd2801588, 0xd4000001]);
    builder.section_headers = false;
    builder.needed = vec!["libc.so"];
    builder.dynsyms = vec![DynSym::export("f", 1)];
    let data = builder.build();
    let elf = ElfFile::parse(&data).unwrap();
    assert!(elf.section_problem.is_none());
    let found = elf.syscall_sites().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].section, None);
    assert_eq!(found[0].number, Some(172));
}

#[test]
fn unsupported_machines_say_so() {
    let mut builder = ElfBuilder::new(Class::Elf64, 243);
    builder.code = vec![0x73, 0, 0, 0];
    let data = builder.build();
    let elf = ElfFile::parse(&data).unwrap();
    assert_eq!(elf.syscall_sites().unwrap_err(), ElfError::NoDisassembler(243));
}

#[test]
fn thumb_lengths_and_branch_targets() {
    assert_eq!(thumb_len(&[0x00, 0xdf]), 2);
    assert_eq!(thumb_len(&[0x40, 0xf2, 0x5e, 0x17]), 4);
    assert_eq!(thumb_len(&[0x00, 0xe8]), 4);
    assert_eq!(thumb_len(&[0x00, 0xe7]), 2);
    assert_eq!(thumb_len(&[0x00]), 2);
    // Targets as objdump prints them for these encodings (from the corpus's libraw.so and libc).
    assert_eq!(
        arm_branch_target(&halfwords(&[0xf7ff, 0xefea]), 0x264, true),
        Some(0x23c)
    ); // blx
    assert_eq!(
        arm_branch_target(&halfwords(&[0xf7ff, 0xffe5]), 0x27a, true),
        Some(0x248)
    ); // bl
    assert_eq!(
        arm_branch_target(&halfwords(&[0xe7e2]), 0x77a68, true),
        Some(0x77a30)
    ); // b.n
    assert_eq!(arm_branch_target(&halfwords(&[0xd001]), 0x100, true), Some(0x106)); // beq.n
    assert_eq!(arm_branch_target(&halfwords(&[0xb108]), 0x100, true), Some(0x106)); // cbz r0
    assert_eq!(
        arm_branch_target(&words(&[0xebfffffe]), 0x100, false),
        Some(0x100)
    ); // bl .
    assert_eq!(arm_branch_target(&words(&[0xe3a07014]), 0x100, false), None);
    assert_eq!(arm_branch_target(&halfwords(&[0x2714]), 0x100, true), None);
}

#[test]
fn arm_doubleword_transfers_with_rt_15_do_not_panic_the_decoder() {
    // LDRD/STRD with Rt = 15 (register and immediate forms): the permissive yaxpeax-arm decoder
    // panics building register Rt + 1 (found by the fuzz target). They are unpredictable
    // encodings, so the strict decoder refuses them and the register state becomes unknown.
    let code = words(&[
        0xe3a07014, // mov r7, #20
        0xe180f0f0, // strd pc, [r0, r0]  (Rt = 15)
        0xe180f0d0, // ldrd pc, [r0, r0]
        0xe1c0f0f0, // strd pc, [r0]
        0xe1c0f0d0, // ldrd pc, [r0]
        0xef000000, // svc 0   -> unknown: undecodable instructions may write r7
        0xe3a07014, // mov r7, #20
        0xef000000, // svc 0   -> 20
    ]);
    let found = sites(Class::Elf32, 40, code, vec![("$a", 0, STT_NOTYPE)]);
    assert_eq!(
        found.iter().map(|s| (s.0, s.1)).collect::<Vec<_>>(),
        [(20, None), (28, Some(20))]
    );
}
