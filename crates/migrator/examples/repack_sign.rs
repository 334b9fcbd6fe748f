//! Repacks and signs one APK with a PKCS#8 key and certificate, and prints how long each
//! step took: `cargo run --release -p migrator --example repack_sign -- IN OUT KEY.pk8 CERT.pem`.
//! For measuring, not a command: `hyper-migrate fix` is the command.

use std::time::Instant;

use migrator::{Changes, SignOptions, SigningKey};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output, key, certificate] = args.as_slice() else {
        return Err("usage: repack_sign IN.apk OUT.apk KEY.pk8 CERT.pem".into());
    };
    let start = Instant::now();
    let data = std::fs::read(input)?;
    let read = start.elapsed();
    let key = SigningKey::load_pkcs8(key.as_ref(), certificate.as_ref())?;
    let loaded = start.elapsed();
    let repacked = migrator::repack::repack(&data, &Changes::new())?;
    let repack_only = start.elapsed();
    let signed = migrator::repack_and_sign(&data, &Changes::new(), &key, &SignOptions::default())?;
    let done = start.elapsed();
    std::fs::write(output, &signed)?;
    println!(
        "input {} bytes, repacked {} bytes, signed {} bytes; read {:?}, key {:?}, repack alone {:?}, repack + v1/v2/v3 {:?}",
        data.len(),
        repacked.len(),
        signed.len(),
        read,
        loaded - read,
        repack_only - loaded,
        done - repack_only,
    );
    Ok(())
}
