//! Tells the tests whether Clarifai's payload corpus (`../shared/clarifai-payloads`, or the folder
//! `CLARIFAI_PAYLOADS` names) is here. It is not part of the repository: without it the tests
//! that read it are marked ignored, with the reason, instead of passing silently.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_payloads)");
    println!("cargo::rerun-if-env-changed=CLARIFAI_PAYLOADS");
    let dir = match std::env::var_os("CLARIFAI_PAYLOADS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default())
            .join("../../shared/clarifai-payloads"),
    };
    let index = dir.join("INDEX.md");
    if index.exists() {
        println!("cargo::rerun-if-changed={}", index.display());
        println!("cargo::rustc-cfg=shared_payloads");
    }
}
