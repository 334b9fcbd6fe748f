//! The builder's own zip editing, for layouts no packaging tool writes on purpose: an entry
//! appended after packaging (a duplicate name, an unsafe name) and a central-directory entry
//! that shares another entry's local header (overlapping entries).
//!
//! Only the classic (non-ZIP64) format is handled: corpus APKs are small. Entries are written
//! stored, dated 1980-01-01 like aapt's, so builds stay reproducible.

const EOCD_SIGNATURE: u32 = 0x0605_4b50;
const EOCD_LEN: usize = 22;
const CENTRAL_SIGNATURE: u32 = 0x0201_4b50;
const CENTRAL_LEN: usize = 46;
const LOCAL_SIGNATURE: u32 = 0x0403_4b50;
/// MS-DOS date of 1980-01-01 (day 1, month 1, year 0).
const DOS_DATE_1980: u16 = (1 << 5) | 1;

/// Where the central directory and the end record of an archive are.
struct Layout {
    cd_offset: usize,
    cd_end: usize,
    count: u16,
    eocd: usize,
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn layout(bytes: &[u8]) -> Result<Layout, String> {
    let last = bytes.len().checked_sub(EOCD_LEN).ok_or("too short for a zip")?;
    let eocd = (0..=last)
        .rev()
        .find(|&at| {
            u32_at(bytes, at) == Some(EOCD_SIGNATURE)
                && u16_at(bytes, at + 20).map(usize::from) == Some(bytes.len() - at - EOCD_LEN)
        })
        .ok_or("no end of central directory record")?;
    let count = u16_at(bytes, eocd + 10).ok_or("short end record")?;
    let cd_size = u32_at(bytes, eocd + 12).ok_or("short end record")? as usize;
    let cd_offset = u32_at(bytes, eocd + 16).ok_or("short end record")? as usize;
    if count == 0xffff || cd_offset == 0xffff_ffff {
        return Err("ZIP64 archives are not handled".into());
    }
    let cd_end = cd_offset
        .checked_add(cd_size)
        .filter(|&end| end <= eocd)
        .ok_or("central directory outside the file")?;
    Ok(Layout {
        cd_offset,
        cd_end,
        count,
        eocd,
    })
}

/// The end record of `old` with a new entry count, directory size and offset (comment kept).
fn end_record(
    old: &[u8],
    at: &Layout,
    count: u16,
    cd_size: usize,
    cd_offset: usize,
) -> Result<Vec<u8>, String> {
    let mut record = old[at.eocd..].to_vec();
    let size = u32::try_from(cd_size).map_err(|_| "central directory over 4 GiB")?;
    let offset = u32::try_from(cd_offset).map_err(|_| "central directory past 4 GiB")?;
    record[8..10].copy_from_slice(&count.to_le_bytes());
    record[10..12].copy_from_slice(&count.to_le_bytes());
    record[12..16].copy_from_slice(&size.to_le_bytes());
    record[16..20].copy_from_slice(&offset.to_le_bytes());
    Ok(record)
}

/// Appends a stored entry `name` holding `data` after the last entry, with its central
/// directory record last: what a tool that concatenates archives without checking names does.
/// The name is written as given, existing or not, safe or not.
pub fn append_stored(zip: &[u8], name: &str, data: &[u8]) -> Result<Vec<u8>, String> {
    let at = layout(zip)?;
    let count = at.count.checked_add(1).ok_or("too many entries")?;
    let name_len = u16::try_from(name.len()).map_err(|_| "entry name too long")?;
    let size = u32::try_from(data.len()).map_err(|_| "entry over 4 GiB")?;
    let crc = crc32(data);
    let local_offset = u32::try_from(at.cd_offset).map_err(|_| "archive over 4 GiB")?;

    let mut out = zip[..at.cd_offset].to_vec();
    out.extend_from_slice(&LOCAL_SIGNATURE.to_le_bytes());
    for field in [10u16, 0, 0, 0, DOS_DATE_1980] {
        // version needed 1.0, flags, method stored, time, date
        out.extend_from_slice(&field.to_le_bytes());
    }
    for field in [crc, size, size] {
        out.extend_from_slice(&field.to_le_bytes());
    }
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);

    let cd_offset = out.len();
    out.extend_from_slice(&zip[at.cd_offset..at.cd_end]);
    out.extend_from_slice(&CENTRAL_SIGNATURE.to_le_bytes());
    for field in [10u16, 10, 0, 0, 0, DOS_DATE_1980] {
        // version made by, version needed, flags, method, time, date
        out.extend_from_slice(&field.to_le_bytes());
    }
    for field in [crc, size, size] {
        out.extend_from_slice(&field.to_le_bytes());
    }
    for field in [name_len, 0, 0, 0, 0] {
        // name, extra and comment lengths, disk number, internal attributes
        out.extend_from_slice(&field.to_le_bytes());
    }
    out.extend_from_slice(&0u32.to_le_bytes()); // external attributes
    out.extend_from_slice(&local_offset.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    let cd_size = out.len() - cd_offset;
    out.extend(end_record(zip, &at, count, cd_size, cd_offset)?);
    Ok(out)
}

/// Adds a central directory record named `alias` that is a copy of `entry`'s (same local
/// header offset, sizes, CRC and method): two entries over the same bytes, as zip bombs
/// overlap their entries. Nothing before the central directory changes.
pub fn add_alias(zip: &[u8], entry: &str, alias: &str) -> Result<Vec<u8>, String> {
    let at = layout(zip)?;
    let count = at.count.checked_add(1).ok_or("too many entries")?;
    let alias_len = u16::try_from(alias.len()).map_err(|_| "alias name too long")?;
    let mut record = at.cd_offset;
    let original = loop {
        if record + CENTRAL_LEN > at.cd_end || u32_at(zip, record) != Some(CENTRAL_SIGNATURE) {
            return Err(format!("no entry `{entry}` in the central directory"));
        }
        let field = |offset| u16_at(zip, record + offset).map(usize::from).unwrap_or(0);
        let (name_len, extra_len, comment_len) = (field(28), field(30), field(32));
        let name = zip.get(record + CENTRAL_LEN..record + CENTRAL_LEN + name_len);
        if name == Some(entry.as_bytes()) {
            break &zip[record..record + CENTRAL_LEN];
        }
        record += CENTRAL_LEN + name_len + extra_len + comment_len;
    };
    let mut copy = original.to_vec();
    copy[28..30].copy_from_slice(&alias_len.to_le_bytes());
    copy[30..34].fill(0); // no extra field, no comment
    copy.extend_from_slice(alias.as_bytes());

    let mut out = zip[..at.cd_end].to_vec();
    out.extend_from_slice(&copy);
    let cd_size = out.len() - at.cd_offset;
    out.extend(end_record(zip, &at, count, cd_size, at.cd_offset)?);
    Ok(out)
}

/// CRC-32 (IEEE 802.3, reflected), as zip stores it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_of_the_check_string() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    /// An empty archive: just the end record.
    fn empty() -> Vec<u8> {
        let mut eocd = EOCD_SIGNATURE.to_le_bytes().to_vec();
        eocd.resize(EOCD_LEN, 0);
        eocd
    }

    #[test]
    fn appended_and_aliased_entries_are_where_the_records_say() {
        let zip = append_stored(&empty(), "a.txt", b"hello").unwrap();
        let zip = append_stored(&zip, "a.txt", b"again").unwrap();
        let zip = add_alias(&zip, "a.txt", "b.txt").unwrap();
        let at = layout(&zip).unwrap();
        assert_eq!(at.count, 3);
        // The second a.txt starts after the first (30 + 5 + 5 bytes); b.txt shares the first.
        let offsets: Vec<u32> = (0..3)
            .scan(at.cd_offset, |record, _| {
                let here = *record;
                *record += CENTRAL_LEN + usize::from(u16_at(&zip, here + 28).unwrap());
                u32_at(&zip, here + 42)
            })
            .collect();
        assert_eq!(offsets, [0, 40, 0]);
        assert_eq!(&zip[30..40], b"a.txthello");
        assert!(add_alias(&zip, "missing", "c").is_err());
    }
}
