//! The hidden-API section (`hiddenapi_class_data_item`, map type 0xF000) that the platform
//! build writes into boot class path DEX files from Android 10: one ULEB128 flag word per
//! field and method, in class-data order, saying which apps may use the member.

use super::{ClassData, DexError, read_uleb};
use crate::bytes::u32_at;

/// The restriction list of a member (the low three bits of its flags), as Android names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HiddenApiList {
    /// Public SDK (`whitelist` in older tools).
    Sdk,
    /// Usable, not public (`greylist`).
    Unsupported,
    /// Never usable by apps (`blacklist`).
    Blocked,
    MaxTargetO,
    MaxTargetP,
    MaxTargetQ,
    MaxTargetR,
    MaxTargetS,
}

impl HiddenApiList {
    pub fn from_flags(flags: u32) -> Self {
        match flags & 0x7 {
            0 => HiddenApiList::Sdk,
            1 => HiddenApiList::Unsupported,
            2 => HiddenApiList::Blocked,
            3 => HiddenApiList::MaxTargetO,
            4 => HiddenApiList::MaxTargetP,
            5 => HiddenApiList::MaxTargetQ,
            6 => HiddenApiList::MaxTargetR,
            _ => HiddenApiList::MaxTargetS,
        }
    }

    /// The name used in AOSP's `hiddenapi-flags.csv`.
    pub fn name(self) -> &'static str {
        match self {
            HiddenApiList::Sdk => "sdk",
            HiddenApiList::Unsupported => "unsupported",
            HiddenApiList::Blocked => "blocked",
            HiddenApiList::MaxTargetO => "max-target-o",
            HiddenApiList::MaxTargetP => "max-target-p",
            HiddenApiList::MaxTargetQ => "max-target-q",
            HiddenApiList::MaxTargetR => "max-target-r",
            HiddenApiList::MaxTargetS => "max-target-s",
        }
    }
}

/// The hidden-API section of one DEX file.
#[derive(Debug, Clone, Copy)]
pub struct HiddenApiFlags<'a> {
    data: &'a [u8],
    offset: u64,
    size: u32,
    class_defs: u32,
}

impl<'a> HiddenApiFlags<'a> {
    pub(crate) fn read(data: &'a [u8], offset: u64, class_defs: u32) -> Result<Self, DexError> {
        let malformed = DexError::Malformed {
            what: "hiddenapi_class_data_item",
            offset,
        };
        let size = u32_at(data, offset).ok_or(malformed.clone())?;
        let table_end = 4 + u64::from(class_defs) * 4;
        if u64::from(size) < table_end || offset + u64::from(size) > data.len() as u64 {
            return Err(malformed);
        }
        Ok(HiddenApiFlags {
            data,
            offset,
            size,
            class_defs,
        })
    }

    /// The flags of a class's members in class-data order (static fields, instance fields,
    /// direct methods, virtual methods); `None` when the class has no entry.
    pub fn class_flags(
        &self,
        class_def: u32,
        class_data: &ClassData<'_>,
    ) -> Result<Option<Vec<u32>>, DexError> {
        if class_def >= self.class_defs {
            return Err(DexError::IndexOutOfRange {
                kind: "class_def",
                index: class_def,
                size: self.class_defs,
            });
        }
        let entry = self.offset + 4 + u64::from(class_def) * 4;
        let relative = u32_at(self.data, entry).ok_or(DexError::Malformed {
            what: "hiddenapi offsets",
            offset: entry,
        })?;
        if relative == 0 {
            return Ok(None);
        }
        if relative >= self.size {
            return Err(DexError::Malformed {
                what: "hiddenapi class offset",
                offset: entry,
            });
        }
        let members = class_data.static_fields
            + class_data.instance_fields
            + class_data.direct_methods
            + class_data.virtual_methods;
        let end = self.offset + u64::from(self.size);
        let section = self.data.get(..end as usize).unwrap_or_default();
        let mut at = self.offset + u64::from(relative);
        let mut flags = Vec::with_capacity((members as usize).min(section.len()));
        for _ in 0..members {
            flags.push(read_uleb(section, &mut at, "hiddenapi flags")?);
        }
        Ok(Some(flags))
    }
}
