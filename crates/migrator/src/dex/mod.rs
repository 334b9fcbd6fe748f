//! DEX rewriting: an editable model read through the analyzer's reader ([`model`]), a writer
//! that lays a model out as valid DEX files ([`write`]), and call-site retargeting driven by
//! mapping files ([`retarget`]).

pub mod model;
pub mod retarget;
pub mod write;

pub use model::DexModel;
pub use retarget::{Mapping, MappingError, Retargeted, retarget};
pub use write::{WriteError, write, write_split};
