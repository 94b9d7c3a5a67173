//! `cargo run -p clarifai-codegen`: writes clarifai-typed's endpoint code from the rows of
//! `clarifai_catalogue::endpoints`. `--check` only says which files are stale.

use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let files = match clarifai_codegen::generate() {
        Ok(files) => files,
        Err(problems) => {
            eprintln!("the endpoint rows have mistakes:\n{problems}");
            return ExitCode::FAILURE;
        }
    };
    let root = clarifai_codegen::workspace_root();
    let mut stale = 0;
    for file in files {
        let path = root.join(file.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(file.text.as_str()) {
            continue;
        }
        stale += 1;
        if check {
            eprintln!("stale: {}", file.path);
        } else if let Err(e) = std::fs::write(&path, &file.text) {
            eprintln!("could not write {}: {e}", path.display());
            return ExitCode::FAILURE;
        } else {
            println!("wrote {}", file.path);
        }
    }
    println!(
        "{} endpoints; {} file(s) {}",
        clarifai_catalogue::endpoints::ENDPOINTS.len(),
        stale,
        if check { "stale" } else { "written" }
    );
    if check && stale > 0 {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
