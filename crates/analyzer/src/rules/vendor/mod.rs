//! `HC6xxx`: what ties the app to one vendor's proprietary services.

mod hc6001_vendor_services;

pub use hc6001_vendor_services::Tie;

use super::Rule;

/// How portable an app is across vendors: 100 with no tie to a proprietary service SDK, 25
/// points less per vendor tied to, and 10 less again for each further kind of evidence of
/// that tie (code, meta-data, bound components, permissions): code that only ships an SDK
/// is easier to drop than an app wired to it in its manifest. Never below 0.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Portability {
    pub score: u8,
    pub ties: Vec<Tie>,
}

pub fn portability(subject: &super::Subject<'_>) -> Portability {
    let ties = hc6001_vendor_services::ties(subject);
    let cost: usize = ties
        .iter()
        .map(|t| 25 + 10 * t.evidence.len().saturating_sub(1))
        .sum();
    Portability {
        score: 100usize.saturating_sub(cost) as u8,
        ties,
    }
}

pub(super) static RULES: &[&Rule] = &[&hc6001_vendor_services::RULE];
