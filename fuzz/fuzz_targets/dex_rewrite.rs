//! The DEX model and writer on arbitrary bytes: whatever the reader accepts is written, the
//! written file reads back to a model that writes the same bytes again (a fixed point), and a
//! retargeting mapping followed by a split write never panics.
#![no_main]

use analyzer::dex::DexFile;
use libfuzzer_sys::fuzz_target;
use migrator::dex::{DexModel, Mapping, retarget, write, write_split};

const MAPPING: &str = r#"name = "fuzz"
[types]
"Ljava/lang/Object;" = "Lfuzz/Object;"
[methods]
"Ljava/lang/Object;->toString()Ljava/lang/String;" = { to = "Ljava/lang/String;->valueOf(Ljava/lang/Object;)Ljava/lang/String;", receiver = true }
"#;

fuzz_target!(|data: &[u8]| {
    let Ok(dex) = DexFile::parse(data) else {
        return;
    };
    let Ok(mut model) = DexModel::read(&dex) else {
        return;
    };
    if let Ok(written) = write(&model) {
        let reread = DexFile::parse(&written).expect("a written file parses");
        assert!(reread.checksum_matches() && reread.signature_matches());
        let again = DexModel::read(&reread).expect("a written file reads back");
        assert!(write(&again).as_ref() == Ok(&written), "not a fixed point");
    }
    let mapping = Mapping::parse(MAPPING).expect("the fuzz mapping parses");
    retarget(&mut model, &mapping);
    if let Ok(files) = write_split(&model) {
        for file in files {
            let reread = DexFile::parse(&file).expect("a split file parses");
            DexModel::read(&reread).expect("a split file reads back");
        }
    }
});
