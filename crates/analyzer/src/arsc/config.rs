//! `ResTable_config`: the qualifiers of one set of resource values (locale, density, SDK level,
//! screen...), and Android's rules for choosing among them (`match`, `isBetterThan`).

use std::fmt;

use crate::bytes::{u16_at, u32_at};

/// Size of `ResTable_config` in Android 10 and later; shorter structures in old files are
/// zero-extended, longer ones truncated (`copyFromDeviceNoSwap`).
pub const CONFIG_LEN: usize = 64;

pub const DENSITY_DEFAULT: u16 = 0;
pub const DENSITY_LOW: u16 = 120;
pub const DENSITY_MEDIUM: u16 = 160;
pub const DENSITY_TV: u16 = 213;
pub const DENSITY_HIGH: u16 = 240;
pub const DENSITY_XHIGH: u16 = 320;
pub const DENSITY_XXHIGH: u16 = 480;
pub const DENSITY_XXXHIGH: u16 = 640;
pub const DENSITY_ANY: u16 = 0xfffe;
pub const DENSITY_NONE: u16 = 0xffff;

pub const ORIENTATION_PORT: u8 = 1;
pub const SCREENSIZE_NORMAL: u8 = 0x02;

const MASK_KEYSHIDDEN: u8 = 0x03;
const KEYSHIDDEN_NO: u8 = 0x01;
const KEYSHIDDEN_SOFT: u8 = 0x03;
const MASK_NAVHIDDEN: u8 = 0x0c;
const MASK_SCREENSIZE: u8 = 0x0f;
const MASK_SCREENLONG: u8 = 0x30;
const MASK_LAYOUTDIR: u8 = 0xc0;
const MASK_UI_MODE_TYPE: u8 = 0x0f;
const MASK_UI_MODE_NIGHT: u8 = 0x30;
const MASK_SCREENROUND: u8 = 0x03;
const MASK_WIDE_COLOR_GAMUT: u8 = 0x03;
const MASK_HDR: u8 = 0x0c;
const GRAMMATICAL_GENDER_MASK: u8 = 0x03;

/// A decoded `ResTable_config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Config {
    /// The `size` field as stored.
    pub size: u32,
    pub mcc: u16,
    pub mnc: u16,
    /// Two ASCII letters, or a packed three-letter code (high bit set).
    pub language: [u8; 2],
    pub country: [u8; 2],
    pub orientation: u8,
    pub touchscreen: u8,
    pub density: u16,
    pub keyboard: u8,
    pub navigation: u8,
    pub input_flags: u8,
    /// Android 14's grammatical gender (the former input padding byte).
    pub grammatical_inflection: u8,
    pub screen_width: u16,
    pub screen_height: u16,
    pub sdk_version: u16,
    pub minor_version: u16,
    pub screen_layout: u8,
    pub ui_mode: u8,
    pub smallest_screen_width_dp: u16,
    pub screen_width_dp: u16,
    pub screen_height_dp: u16,
    pub locale_script: [u8; 4],
    pub locale_variant: [u8; 8],
    pub screen_layout2: u8,
    pub color_mode: u8,
    pub locale_script_was_computed: bool,
    pub locale_numbering_system: [u8; 8],
}

impl Config {
    /// Decodes the structure at the start of `bytes` (which must hold `size` bytes, at least
    /// the 4 of the size field). Missing fields are zero.
    pub fn parse(bytes: &[u8]) -> Option<Config> {
        let size = u32_at(bytes, 0)?;
        let stored = usize::try_from(size).ok()?;
        let mut raw = [0u8; CONFIG_LEN];
        let len = stored.min(CONFIG_LEN);
        raw[..len].copy_from_slice(bytes.get(..len)?);
        let r16 = |at| u16_at(&raw, at).unwrap_or(0);
        let array = |at: usize| -> [u8; 8] { raw[at..at + 8].try_into().unwrap_or_default() };
        Some(Config {
            size,
            mcc: r16(4),
            mnc: r16(6),
            language: [raw[8], raw[9]],
            country: [raw[10], raw[11]],
            orientation: raw[12],
            touchscreen: raw[13],
            density: r16(14),
            keyboard: raw[16],
            navigation: raw[17],
            input_flags: raw[18],
            grammatical_inflection: raw[19],
            screen_width: r16(20),
            screen_height: r16(22),
            sdk_version: r16(24),
            minor_version: r16(26),
            screen_layout: raw[28],
            ui_mode: raw[29],
            smallest_screen_width_dp: r16(30),
            screen_width_dp: r16(32),
            screen_height_dp: r16(34),
            locale_script: [raw[36], raw[37], raw[38], raw[39]],
            locale_variant: array(40),
            screen_layout2: raw[48],
            color_mode: raw[49],
            locale_script_was_computed: raw[52] != 0,
            locale_numbering_system: array(53),
        })
    }

    /// The configuration `aapt dump badging` asks resources for (en-US, portrait, mdpi, normal
    /// 320x480dp screen, SDK 10000): what `versionName`, activity labels and icons resolve with.
    pub fn badging() -> Config {
        Config {
            language: *b"en",
            country: *b"US",
            orientation: ORIENTATION_PORT,
            density: DENSITY_MEDIUM,
            sdk_version: 10000,
            screen_width_dp: 320,
            screen_height_dp: 480,
            smallest_screen_width_dp: 320,
            screen_layout: SCREENSIZE_NORMAL,
            // setBcp47Locale("en-US") computes the script.
            locale_script: *b"Latn",
            locale_script_was_computed: true,
            ..Config::default()
        }
    }

    /// The badging configuration without a locale: what `application-label` resolves with.
    pub fn badging_default_locale() -> Config {
        Config {
            language: [0; 2],
            country: [0; 2],
            locale_script: [0; 4],
            ..Config::badging()
        }
    }

    fn imsi(&self) -> bool {
        self.mcc != 0 || self.mnc != 0
    }

    fn locale(&self) -> bool {
        self.language != [0; 2] || self.country != [0; 2]
    }

    fn screen_type(&self) -> bool {
        self.orientation != 0 || self.touchscreen != 0 || self.density != 0
    }

    /// The 24-bit `input` field (keyboard, navigation, flags).
    fn input(&self) -> bool {
        self.keyboard != 0 || self.navigation != 0 || self.input_flags != 0
    }

    fn screen_size(&self) -> bool {
        self.screen_width != 0 || self.screen_height != 0
    }

    fn version(&self) -> bool {
        self.sdk_version != 0 || self.minor_version != 0
    }

    fn screen_config(&self) -> bool {
        self.screen_layout != 0 || self.ui_mode != 0 || self.smallest_screen_width_dp != 0
    }

    fn screen_size_dp(&self) -> bool {
        self.screen_width_dp != 0 || self.screen_height_dp != 0
    }

    fn screen_config2(&self) -> bool {
        self.screen_layout2 != 0 || self.color_mode != 0
    }

    /// `ResTable_config::match`: whether resources with these qualifiers may be used on a device
    /// described by `settings`.
    ///
    /// Locales match as in Android when the request's script is unknown or when both scripts can
    /// be named; the script of a resource locale is derived only for English ("Latn"), the one
    /// case badging needs. Other languages fall back to Android's no-script rule (countries must
    /// agree).
    pub fn matches(&self, settings: &Config) -> bool {
        if self.imsi() {
            if self.mcc != 0 && self.mcc != settings.mcc {
                return false;
            }
            if self.mnc != 0 && self.mnc != settings.mnc {
                return false;
            }
        }
        if self.locale() {
            if !langs_are_equivalent(self.language, settings.language) {
                return false;
            }
            let mut countries_must_match = false;
            let mut script = self.locale_script;
            if settings.locale_script[0] == 0 {
                countries_must_match = true;
            } else if self.locale_script[0] == 0 && !self.locale_script_was_computed {
                match compute_script(self.language) {
                    Some(computed) => script = computed,
                    None => countries_must_match = true,
                }
            }
            if countries_must_match {
                if self.country[0] != 0 && self.country != settings.country {
                    return false;
                }
            } else if script != settings.locale_script {
                return false;
            }
        }
        if self.grammatical_inflection != 0 && self.grammatical_inflection != settings.grammatical_inflection
        {
            return false;
        }
        if self.screen_config() {
            let layout_dir = self.screen_layout & MASK_LAYOUTDIR;
            if layout_dir != 0 && layout_dir != settings.screen_layout & MASK_LAYOUTDIR {
                return false;
            }
            let size = self.screen_layout & MASK_SCREENSIZE;
            if size != 0 && size > settings.screen_layout & MASK_SCREENSIZE {
                return false;
            }
            let long = self.screen_layout & MASK_SCREENLONG;
            if long != 0 && long != settings.screen_layout & MASK_SCREENLONG {
                return false;
            }
            let ui_type = self.ui_mode & MASK_UI_MODE_TYPE;
            if ui_type != 0 && ui_type != settings.ui_mode & MASK_UI_MODE_TYPE {
                return false;
            }
            let night = self.ui_mode & MASK_UI_MODE_NIGHT;
            if night != 0 && night != settings.ui_mode & MASK_UI_MODE_NIGHT {
                return false;
            }
            if self.smallest_screen_width_dp != 0
                && self.smallest_screen_width_dp > settings.smallest_screen_width_dp
            {
                return false;
            }
        }
        if self.screen_config2() {
            let round = self.screen_layout2 & MASK_SCREENROUND;
            if round != 0 && round != settings.screen_layout2 & MASK_SCREENROUND {
                return false;
            }
            let hdr = self.color_mode & MASK_HDR;
            if hdr != 0 && hdr != settings.color_mode & MASK_HDR {
                return false;
            }
            let wide = self.color_mode & MASK_WIDE_COLOR_GAMUT;
            if wide != 0 && wide != settings.color_mode & MASK_WIDE_COLOR_GAMUT {
                return false;
            }
        }
        if self.screen_size_dp() {
            if self.screen_width_dp != 0 && self.screen_width_dp > settings.screen_width_dp {
                return false;
            }
            if self.screen_height_dp != 0 && self.screen_height_dp > settings.screen_height_dp {
                return false;
            }
        }
        if self.screen_type() {
            if self.orientation != 0 && self.orientation != settings.orientation {
                return false;
            }
            if self.touchscreen != 0 && self.touchscreen != settings.touchscreen {
                return false;
            }
        }
        if self.input() {
            let keys = self.input_flags & MASK_KEYSHIDDEN;
            let set_keys = settings.input_flags & MASK_KEYSHIDDEN;
            if keys != 0 && keys != set_keys && (keys != KEYSHIDDEN_NO || set_keys != KEYSHIDDEN_SOFT) {
                return false;
            }
            let nav = self.input_flags & MASK_NAVHIDDEN;
            if nav != 0 && nav != settings.input_flags & MASK_NAVHIDDEN {
                return false;
            }
            if self.keyboard != 0 && self.keyboard != settings.keyboard {
                return false;
            }
            if self.navigation != 0 && self.navigation != settings.navigation {
                return false;
            }
        }
        if self.screen_size() {
            if self.screen_width != 0 && self.screen_width > settings.screen_width {
                return false;
            }
            if self.screen_height != 0 && self.screen_height > settings.screen_height {
                return false;
            }
        }
        if self.version() {
            if self.sdk_version != 0 && self.sdk_version > settings.sdk_version {
                return false;
            }
            if self.minor_version != 0 && self.minor_version != settings.minor_version {
                return false;
            }
        }
        true
    }

    /// `ResTable_config::isBetterThan` with a request: whether `self` is a better match for
    /// `requested` than `other` (both already matching it).
    ///
    /// Between two locales of the requested language that both differ from the requested
    /// region, Android consults CLDR's region tree; here neither is better.
    pub fn is_better_than(&self, other: &Config, requested: &Config) -> bool {
        let (o, r) = (other, requested);
        if (self.imsi() || o.imsi()) && self.mcc != o.mcc && r.mcc != 0 {
            return self.mcc != 0;
        }
        if (self.imsi() || o.imsi()) && self.mnc != o.mnc && r.mnc != 0 {
            return self.mnc != 0;
        }
        if self.is_locale_better_than(o, r) {
            return true;
        }
        if (self.grammatical_inflection != 0 || o.grammatical_inflection != 0)
            && self.grammatical_inflection != o.grammatical_inflection
            && r.grammatical_inflection != 0
        {
            return self.grammatical_inflection != 0;
        }
        if (self.screen_layout != 0 || o.screen_layout != 0)
            && (self.screen_layout ^ o.screen_layout) & MASK_LAYOUTDIR != 0
            && r.screen_layout & MASK_LAYOUTDIR != 0
        {
            return self.screen_layout & MASK_LAYOUTDIR > o.screen_layout & MASK_LAYOUTDIR;
        }
        if (self.smallest_screen_width_dp != 0 || o.smallest_screen_width_dp != 0)
            && self.smallest_screen_width_dp != o.smallest_screen_width_dp
        {
            return self.smallest_screen_width_dp > o.smallest_screen_width_dp;
        }
        if self.screen_size_dp() || o.screen_size_dp() {
            let (mut mine, mut theirs) = (0i32, 0i32);
            if r.screen_width_dp != 0 {
                mine += i32::from(r.screen_width_dp) - i32::from(self.screen_width_dp);
                theirs += i32::from(r.screen_width_dp) - i32::from(o.screen_width_dp);
            }
            if r.screen_height_dp != 0 {
                mine += i32::from(r.screen_height_dp) - i32::from(self.screen_height_dp);
                theirs += i32::from(r.screen_height_dp) - i32::from(o.screen_height_dp);
            }
            if mine != theirs {
                return mine < theirs;
            }
        }
        if self.screen_layout != 0 || o.screen_layout != 0 {
            if (self.screen_layout ^ o.screen_layout) & MASK_SCREENSIZE != 0
                && r.screen_layout & MASK_SCREENSIZE != 0
            {
                let mine = self.screen_layout & MASK_SCREENSIZE;
                let theirs = o.screen_layout & MASK_SCREENSIZE;
                let (mut fixed_mine, mut fixed_theirs) = (mine, theirs);
                if r.screen_layout & MASK_SCREENSIZE >= SCREENSIZE_NORMAL {
                    if fixed_mine == 0 {
                        fixed_mine = SCREENSIZE_NORMAL;
                    }
                    if fixed_theirs == 0 {
                        fixed_theirs = SCREENSIZE_NORMAL;
                    }
                }
                if fixed_mine == fixed_theirs {
                    return mine != 0;
                }
                return fixed_mine > fixed_theirs;
            }
            if (self.screen_layout ^ o.screen_layout) & MASK_SCREENLONG != 0
                && r.screen_layout & MASK_SCREENLONG != 0
            {
                return self.screen_layout & MASK_SCREENLONG != 0;
            }
        }
        if (self.screen_layout2 != 0 || o.screen_layout2 != 0)
            && (self.screen_layout2 ^ o.screen_layout2) & MASK_SCREENROUND != 0
            && r.screen_layout2 & MASK_SCREENROUND != 0
        {
            return self.screen_layout2 & MASK_SCREENROUND != 0;
        }
        if self.color_mode != 0 || o.color_mode != 0 {
            if (self.color_mode ^ o.color_mode) & MASK_WIDE_COLOR_GAMUT != 0
                && r.color_mode & MASK_WIDE_COLOR_GAMUT != 0
            {
                return self.color_mode & MASK_WIDE_COLOR_GAMUT != 0;
            }
            if (self.color_mode ^ o.color_mode) & MASK_HDR != 0 && r.color_mode & MASK_HDR != 0 {
                return self.color_mode & MASK_HDR != 0;
            }
        }
        if self.orientation != o.orientation && r.orientation != 0 {
            return self.orientation != 0;
        }
        if self.ui_mode != 0 || o.ui_mode != 0 {
            if (self.ui_mode ^ o.ui_mode) & MASK_UI_MODE_TYPE != 0 && r.ui_mode & MASK_UI_MODE_TYPE != 0 {
                return self.ui_mode & MASK_UI_MODE_TYPE != 0;
            }
            if (self.ui_mode ^ o.ui_mode) & MASK_UI_MODE_NIGHT != 0 && r.ui_mode & MASK_UI_MODE_NIGHT != 0 {
                return self.ui_mode & MASK_UI_MODE_NIGHT != 0;
            }
        }
        if self.screen_type() || o.screen_type() {
            if self.density != o.density {
                let mine = if self.density == 0 {
                    DENSITY_MEDIUM
                } else {
                    self.density
                };
                let theirs = if o.density == 0 { DENSITY_MEDIUM } else { o.density };
                if mine == DENSITY_ANY {
                    return true;
                }
                if theirs == DENSITY_ANY {
                    return false;
                }
                let wanted = if r.density == 0 || r.density == DENSITY_ANY {
                    DENSITY_MEDIUM
                } else {
                    r.density
                };
                let (mut low, mut high, mut i_am_bigger) = (theirs, mine, true);
                if low > high {
                    std::mem::swap(&mut low, &mut high);
                    i_am_bigger = false;
                }
                if high == wanted {
                    return i_am_bigger;
                }
                if low >= wanted {
                    return !i_am_bigger;
                }
                return i_am_bigger;
            }
            if self.touchscreen != o.touchscreen && r.touchscreen != 0 {
                return self.touchscreen != 0;
            }
        }
        if self.input() || o.input() {
            let keys = self.input_flags & MASK_KEYSHIDDEN;
            let other_keys = o.input_flags & MASK_KEYSHIDDEN;
            let wanted_keys = r.input_flags & MASK_KEYSHIDDEN;
            if keys != other_keys && wanted_keys != 0 {
                if keys == 0 {
                    return false;
                }
                if other_keys == 0 {
                    return true;
                }
                if wanted_keys == keys {
                    return true;
                }
                if wanted_keys == other_keys {
                    return false;
                }
            }
            let nav = self.input_flags & MASK_NAVHIDDEN;
            let other_nav = o.input_flags & MASK_NAVHIDDEN;
            if nav != other_nav && r.input_flags & MASK_NAVHIDDEN != 0 {
                if nav == 0 {
                    return false;
                }
                if other_nav == 0 {
                    return true;
                }
            }
            if self.keyboard != o.keyboard && r.keyboard != 0 {
                return self.keyboard != 0;
            }
            if self.navigation != o.navigation && r.navigation != 0 {
                return self.navigation != 0;
            }
        }
        if self.screen_size() || o.screen_size() {
            let (mut mine, mut theirs) = (0i32, 0i32);
            if r.screen_width != 0 {
                mine += i32::from(r.screen_width) - i32::from(self.screen_width);
                theirs += i32::from(r.screen_width) - i32::from(o.screen_width);
            }
            if r.screen_height != 0 {
                mine += i32::from(r.screen_height) - i32::from(self.screen_height);
                theirs += i32::from(r.screen_height) - i32::from(o.screen_height);
            }
            if mine != theirs {
                return mine < theirs;
            }
        }
        if self.version() || o.version() {
            if self.sdk_version != o.sdk_version && r.sdk_version != 0 {
                return self.sdk_version > o.sdk_version;
            }
            if self.minor_version != o.minor_version && r.minor_version != 0 {
                return self.minor_version != 0;
            }
        }
        false
    }

    fn is_locale_better_than(&self, o: &Config, r: &Config) -> bool {
        if !r.locale() || (!self.locale() && !o.locale()) {
            return false;
        }
        if !langs_are_equivalent(self.language, o.language) {
            if r.language == *b"en" && r.country == *b"US" {
                return if self.language[0] != 0 {
                    self.country[0] == 0 || self.country == *b"US"
                } else {
                    !(o.country[0] == 0 || o.country == *b"US")
                };
            }
            return self.language[0] != 0;
        }
        if self.country != o.country {
            // Android ranks other regions through CLDR's parent chains; the requested region
            // itself always wins.
            if self.country == r.country {
                return true;
            }
            if o.country == r.country {
                return false;
            }
        }
        let mine = self.locale_variant == r.locale_variant;
        let theirs = o.locale_variant == r.locale_variant;
        if mine != theirs {
            return mine;
        }
        let mine = self.locale_numbering_system == r.locale_numbering_system;
        let theirs = o.locale_numbering_system == r.locale_numbering_system;
        if mine != theirs {
            return mine;
        }
        self.language == r.language && o.language != r.language
    }

    /// The language as letters (a packed three-letter code is unpacked).
    pub fn language_code(&self) -> String {
        unpack(self.language, b'a')
    }

    pub fn region_code(&self) -> String {
        unpack(self.country, b'0')
    }
}

/// `unpackLanguageOrRegion`.
fn unpack(code: [u8; 2], base: u8) -> String {
    if code[0] & 0x80 != 0 {
        let first = code[1] & 0x1f;
        let second = ((code[1] & 0xe0) >> 5) + ((code[0] & 0x03) << 3);
        let third = (code[0] & 0x7c) >> 2;
        return [first, second, third]
            .iter()
            .map(|&c| char::from(c.wrapping_add(base)))
            .collect();
    }
    if code[0] == 0 {
        return String::new();
    }
    code.iter().map(|&c| char::from(c)).collect()
}

/// Tagalog and Filipino are the same language to Android.
fn langs_are_equivalent(a: [u8; 2], b: [u8; 2]) -> bool {
    const TAGALOG: [u8; 2] = *b"tl";
    const FILIPINO: [u8; 2] = [0xad, 0x05];
    a == b || (a == TAGALOG && b == FILIPINO) || (a == FILIPINO && b == TAGALOG)
}

/// The likely script of a language, for the languages this crate knows.
fn compute_script(language: [u8; 2]) -> Option<[u8; 4]> {
    (language == *b"en").then_some(*b"Latn")
}

/// The qualifier string aapt prints (`ResTable_config::toString`), e.g. `fr-rCA-hdpi-v21`;
/// empty for the default configuration.
impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if self.mcc != 0 {
            parts.push(format!("mcc{}", self.mcc));
        }
        if self.mnc != 0 {
            parts.push(format!("mnc{}", self.mnc));
        }
        if self.language[0] != 0 {
            let script = self.locale_script[0] != 0 && !self.locale_script_was_computed;
            let variant = cstr(&self.locale_variant);
            let numbering = cstr(&self.locale_numbering_system);
            if !script && variant.is_empty() && numbering.is_empty() {
                let mut locale = self.language_code();
                if self.country[0] != 0 {
                    locale.push_str("-r");
                    locale.push_str(&self.region_code());
                }
                parts.push(locale);
            } else {
                let mut locale = format!("b+{}", self.language_code());
                if script {
                    locale.push('+');
                    locale.push_str(&cstr(&self.locale_script));
                }
                if self.country[0] != 0 {
                    locale.push('+');
                    locale.push_str(&self.region_code());
                }
                if !variant.is_empty() {
                    locale.push('+');
                    locale.push_str(&variant);
                }
                if !numbering.is_empty() {
                    locale.push_str("+u+nu+");
                    locale.push_str(&numbering);
                }
                parts.push(locale);
            }
        }
        match self.grammatical_inflection & GRAMMATICAL_GENDER_MASK {
            1 => parts.push("neuter".into()),
            2 => parts.push("feminine".into()),
            3 => parts.push("masculine".into()),
            _ => {}
        }
        match self.screen_layout & MASK_LAYOUTDIR {
            0 => {}
            0x40 => parts.push("ldltr".into()),
            0x80 => parts.push("ldrtl".into()),
            other => parts.push(format!("layoutDir={other}")),
        }
        if self.smallest_screen_width_dp != 0 {
            parts.push(format!("sw{}dp", self.smallest_screen_width_dp));
        }
        if self.screen_width_dp != 0 {
            parts.push(format!("w{}dp", self.screen_width_dp));
        }
        if self.screen_height_dp != 0 {
            parts.push(format!("h{}dp", self.screen_height_dp));
        }
        match self.screen_layout & MASK_SCREENSIZE {
            0 => {}
            1 => parts.push("small".into()),
            2 => parts.push("normal".into()),
            3 => parts.push("large".into()),
            4 => parts.push("xlarge".into()),
            other => parts.push(format!("screenLayoutSize={other}")),
        }
        match self.screen_layout & MASK_SCREENLONG {
            0 => {}
            0x10 => parts.push("notlong".into()),
            0x20 => parts.push("long".into()),
            other => parts.push(format!("screenLayoutLong={other}")),
        }
        match self.screen_layout2 & MASK_SCREENROUND {
            0 => {}
            1 => parts.push("notround".into()),
            2 => parts.push("round".into()),
            other => parts.push(format!("screenRound={other}")),
        }
        match self.color_mode & MASK_WIDE_COLOR_GAMUT {
            0 => {}
            1 => parts.push("nowidecg".into()),
            2 => parts.push("widecg".into()),
            other => parts.push(format!("wideColorGamut={other}")),
        }
        match self.color_mode & MASK_HDR {
            0 => {}
            4 => parts.push("lowdr".into()),
            8 => parts.push("highdr".into()),
            other => parts.push(format!("hdr={other}")),
        }
        match self.orientation {
            0 => {}
            1 => parts.push("port".into()),
            2 => parts.push("land".into()),
            3 => parts.push("square".into()),
            other => parts.push(format!("orientation={other}")),
        }
        match self.ui_mode & MASK_UI_MODE_TYPE {
            0 => {}
            2 => parts.push("desk".into()),
            3 => parts.push("car".into()),
            4 => parts.push("television".into()),
            5 => parts.push("appliance".into()),
            6 => parts.push("watch".into()),
            7 => parts.push("vrheadset".into()),
            // aapt prints the wrong field here; this is what it prints.
            _ => parts.push(format!("uiModeType={}", self.screen_layout & MASK_UI_MODE_TYPE)),
        }
        match self.ui_mode & MASK_UI_MODE_NIGHT {
            0 => {}
            0x10 => parts.push("notnight".into()),
            0x20 => parts.push("night".into()),
            other => parts.push(format!("uiModeNight={other}")),
        }
        match self.density {
            DENSITY_DEFAULT => {}
            DENSITY_LOW => parts.push("ldpi".into()),
            DENSITY_MEDIUM => parts.push("mdpi".into()),
            DENSITY_TV => parts.push("tvdpi".into()),
            DENSITY_HIGH => parts.push("hdpi".into()),
            DENSITY_XHIGH => parts.push("xhdpi".into()),
            DENSITY_XXHIGH => parts.push("xxhdpi".into()),
            DENSITY_XXXHIGH => parts.push("xxxhdpi".into()),
            DENSITY_NONE => parts.push("nodpi".into()),
            DENSITY_ANY => parts.push("anydpi".into()),
            other => parts.push(format!("{other}dpi")),
        }
        match self.touchscreen {
            0 => {}
            1 => parts.push("notouch".into()),
            2 => parts.push("stylus".into()),
            3 => parts.push("finger".into()),
            other => parts.push(format!("touchscreen={other}")),
        }
        match self.input_flags & MASK_KEYSHIDDEN {
            1 => parts.push("keysexposed".into()),
            2 => parts.push("keyshidden".into()),
            3 => parts.push("keyssoft".into()),
            _ => {}
        }
        match self.keyboard {
            0 => {}
            1 => parts.push("nokeys".into()),
            2 => parts.push("qwerty".into()),
            3 => parts.push("12key".into()),
            other => parts.push(format!("keyboard={other}")),
        }
        match self.input_flags & MASK_NAVHIDDEN {
            0 => {}
            0x04 => parts.push("navexposed".into()),
            0x08 => parts.push("navhidden".into()),
            other => parts.push(format!("inputFlagsNavHidden={other}")),
        }
        match self.navigation {
            0 => {}
            1 => parts.push("nonav".into()),
            2 => parts.push("dpad".into()),
            3 => parts.push("trackball".into()),
            4 => parts.push("wheel".into()),
            other => parts.push(format!("navigation={other}")),
        }
        if self.screen_size() {
            parts.push(format!("{}x{}", self.screen_width, self.screen_height));
        }
        if self.version() {
            let mut version = format!("v{}", self.sdk_version);
            if self.minor_version != 0 {
                version.push_str(&format!(".{}", self.minor_version));
            }
            parts.push(version);
        }
        f.write_str(&parts.join("-"))
    }
}

/// The text of a NUL-padded ASCII field.
fn cstr(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take_while(|&&b| b != 0)
        .map(|&b| char::from(b))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(f: impl FnOnce(&mut Config)) -> Config {
        let mut c = Config {
            size: CONFIG_LEN as u32,
            ..Config::default()
        };
        f(&mut c);
        c
    }

    #[test]
    fn parses_short_and_long_structures() {
        let mut raw = vec![0u8; 80];
        raw[0..4].copy_from_slice(&80u32.to_le_bytes());
        raw[8..10].copy_from_slice(b"fr");
        raw[14..16].copy_from_slice(&240u16.to_le_bytes());
        raw[24..26].copy_from_slice(&21u16.to_le_bytes());
        let c = Config::parse(&raw).unwrap();
        assert_eq!(c.to_string(), "fr-hdpi-v21");
        // A 28-byte structure from an old aapt: fields past it read as zero.
        raw[0..4].copy_from_slice(&28u32.to_le_bytes());
        raw[30..32].copy_from_slice(&600u16.to_le_bytes());
        let c = Config::parse(&raw).unwrap();
        assert_eq!(c.smallest_screen_width_dp, 0);
        assert_eq!(c.sdk_version, 21);
        // A size larger than the bytes at hand.
        raw[0..4].copy_from_slice(&64u32.to_le_bytes());
        assert_eq!(Config::parse(&raw[..40]), None);
        assert_eq!(Config::parse(&raw[..3]), None);
    }

    #[test]
    fn qualifier_strings() {
        assert_eq!(Config::default().to_string(), "");
        let c = config(|c| {
            c.language = *b"en";
            c.country = *b"GB";
            c.screen_layout = 0x40 | 0x03;
            c.orientation = 2;
            c.density = DENSITY_ANY;
            c.sdk_version = 26;
        });
        assert_eq!(c.to_string(), "en-rGB-ldltr-large-land-anydpi-v26");
        let c = config(|c| {
            c.language = *b"sr";
            c.locale_script = *b"Latn";
            c.smallest_screen_width_dp = 600;
        });
        assert_eq!(c.to_string(), "b+sr+Latn-sw600dp");
        // Packed three-letter language "fil".
        let c = config(|c| c.language = [0xad, 0x05]);
        assert_eq!(c.to_string(), "fil");
    }

    #[test]
    fn badging_picks_the_default_locale_and_highest_fitting_sdk() {
        let request = Config::badging_default_locale();
        let default = config(|_| {});
        let french = config(|c| c.language = *b"fr");
        let v21 = config(|c| c.sdk_version = 21);
        let v30000 = config(|c| c.sdk_version = 30000);
        assert!(default.matches(&request));
        assert!(!french.matches(&request));
        assert!(v21.matches(&request));
        assert!(!v30000.matches(&request));
        assert!(v21.is_better_than(&default, &request));
        assert!(!default.is_better_than(&v21, &request));

        let en_us = Config::badging();
        let english = config(|c| c.language = *b"en");
        let british = config(|c| {
            c.language = *b"en";
            c.country = *b"GB";
        });
        assert!(english.matches(&en_us));
        assert!(british.matches(&en_us));
        assert!(!french.matches(&en_us));
        assert!(english.is_better_than(&default, &en_us));
        // For en-US, a default resource beats en-GB.
        assert!(default.is_better_than(&british, &en_us));
    }

    #[test]
    fn density_prefers_scaling_down() {
        let request = Config::badging();
        let hdpi = config(|c| c.density = DENSITY_HIGH);
        let ldpi = config(|c| c.density = DENSITY_LOW);
        let mdpi = config(|c| c.density = DENSITY_MEDIUM);
        let any = config(|c| c.density = DENSITY_ANY);
        assert!(mdpi.is_better_than(&hdpi, &request));
        assert!(hdpi.is_better_than(&ldpi, &request));
        assert!(any.is_better_than(&mdpi, &request));
    }
}
