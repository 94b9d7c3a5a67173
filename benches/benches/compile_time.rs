//! What `#[scoped_key]` costs at compile time (issue 8, part 4).
//!
//! Generates a workspace of three library crates that declare the same key types (1,000 by
//! default, each with 1 to 4 distinct, non-deprecated scopes drawn by a fixed pseudo-random
//! sequence, so every run compiles the same code):
//!
//! * **plain**: `pub struct Key0001;`, the floor (the crate, its dependency on `clarifai-typed`
//!   and 1,000 items);
//! * **scoped**: `#[scoped_key(Predict, AddInputs)] pub struct Key0001;`;
//! * **expanded**: what the macro expanded the scoped crate to, written out as source (the macro
//!   appends each expansion to the file named by `CLARIFAI_TYPED_EXPANSION_DUMP`).
//!
//! It then times `cargo check` of each crate, in rounds whose order rotates. Before every timed
//! check the crate's own artifacts are removed (`cargo clean -p`), so each check is a fresh build
//! of that crate; the dependencies (`clarifai-typed` and below) are checked once beforehand and
//! shared. Reported: the median time of each way, and the ratios measured in the same run: the
//! macro against its own expansion (the macro's own cost), and the cost of one key
//! ((scoped − plain) ÷ keys).
//!
//! `cargo bench -p clarifai-benches --bench compile_time [-- ROUNDS [KEYS]]` (default 5 rounds of
//! 1,000 keys). The bench binary only starts `cargo`, so its own optimisation does not matter:
//! `cargo bench --profile dev ...` avoids a release build of this package's dependencies. The
//! generated workspace lives in `target/compile-time-bench/` (or under `CARGO_TARGET_DIR`). With
//! `COMPILE_TIME_BENCH_REPO=<checkout>`, the `clarifai-typed` of that checkout is measured instead
//! (a before/after comparison with the same bench).

#![allow(clippy::unwrap_used)] // a benchmark: a failed unwrap is a failed run

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use clarifai_benches::{median_f64, print_machine, ratio};
use clarifai_typed::Scope;

/// The three ways, in the order of the table.
const WAYS: [(&str, &str); 3] = [
    ("plain", "plain structs"),
    ("scoped", "#[scoped_key]"),
    ("expanded", "its expansion as source"),
];

const DUMP_VAR: &str = "CLARIFAI_TYPED_EXPANSION_DUMP";

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let rounds: usize = args.next().map_or(5, |a| a.parse().unwrap());
    let keys: usize = args.next().map_or(1000, |a| a.parse().unwrap());
    assert!(
        rounds > 0 && keys > 0,
        "usage: compile_time [ROUNDS [KEYS]]"
    );

    // `COMPILE_TIME_BENCH_REPO`: measure the `clarifai-typed` of another checkout (an older commit,
    // for a before/after comparison) with this bench; its generated workspace goes to its target.
    let other = std::env::var_os("COMPILE_TIME_BENCH_REPO").map(PathBuf::from);
    let this = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let repo = other.as_deref().unwrap_or(this);
    let target = match (&other, std::env::var_os("CARGO_TARGET_DIR")) {
        (None, Some(dir)) => PathBuf::from(dir),
        _ => repo.join("target"),
    };
    let root = target.join("compile-time-bench");
    let declarations = declarations(keys);
    write_workspace(&root, repo, &declarations);

    print_machine();
    println!(
        "rustc: {}",
        output(Command::new("rustc").arg("--version")).trim()
    );
    println!(
        "{keys} key types, 1-4 scopes each ({} scopes declared in all); generated in {}",
        declarations.iter().map(Vec::len).sum::<usize>(),
        root.display()
    );

    // The dependencies, once; then the expansion, dumped by the macro while checking `scoped`.
    cargo(&root, &["check", "-p", "ct-plain"], None);
    let dump = root.join("expansion.rs");
    let _ = std::fs::remove_file(&dump);
    clean(&root, "scoped");
    cargo(&root, &["check", "-p", "ct-scoped"], Some(&dump));
    let expansion = std::fs::read_to_string(&dump).unwrap();
    let expanded_src = root.join("expanded/src/lib.rs");
    std::fs::write(&expanded_src, format!("{}{expansion}", header("expanded"))).unwrap();
    let formatted = Command::new("rustfmt")
        .args(["--edition", "2024"])
        .arg(&expanded_src)
        .status()
        .unwrap();
    assert!(formatted.success(), "rustfmt failed on the expansion");
    let text = std::fs::read_to_string(&expanded_src).unwrap();
    let lines = text.lines().count() - header("expanded").lines().count();
    println!(
        "expansion: {:.1} lines per key after rustfmt, {:.0} bytes per key before",
        lines as f64 / keys as f64,
        expansion.len() as f64 / keys as f64
    );
    println!();

    // Wall time, and the CPU time of cargo and rustc (steadier on a shared machine).
    let mut wall: [Vec<Duration>; 3] = Default::default();
    let mut cpu: [Vec<Duration>; 3] = Default::default();
    for round in 0..rounds {
        for i in 0..WAYS.len() {
            let way = (round + i) % WAYS.len();
            let package = format!("ct-{}", WAYS[way].0);
            clean(&root, WAYS[way].0);
            let cpu_before = children_cpu();
            let start = Instant::now();
            cargo(&root, &["check", "-p", &package], None);
            wall[way].push(start.elapsed());
            cpu[way].push(children_cpu().saturating_sub(cpu_before));
        }
    }
    report("wall time", &wall, keys);
    report("CPU time of cargo and rustc (user + system)", &cpu, keys);
}

/// Prints the medians of one measure and the ratios the issue asks for.
fn report(measure: &str, times: &[Vec<Duration>; 3], keys: usize) {
    let rounds = times[0].len();
    println!("`cargo check` of each crate, {measure}, {rounds} rounds (median, min):");
    let medians: Vec<Duration> = times.iter().map(|t| median(t)).collect();
    for (way, (name, what)) in WAYS.iter().enumerate() {
        let min = times[way].iter().min().unwrap();
        println!(
            "  {name:<9} {what:<24} {:>8.3}s {:>8.3}s | ÷plain {:.3}",
            medians[way].as_secs_f64(),
            min.as_secs_f64(),
            ratio(medians[way], medians[0])
        );
    }
    let mut per_round: Vec<f64> = (0..rounds)
        .map(|r| ratio(times[1][r], times[2][r]))
        .collect();
    let per_key = (medians[1].as_secs_f64() - medians[0].as_secs_f64()) / keys as f64;
    let expansion_per_key = (medians[2].as_secs_f64() - medians[0].as_secs_f64()) / keys as f64;
    let macro_cost = ratio(medians[1], medians[2]);
    println!(
        "  macro ÷ expansion: {macro_cost:.3} (median of the per-round ratios {:.3}) — issue 8 target ≤ 1.10: {}",
        median_f64(&mut per_round),
        if macro_cost <= 1.10 { "met" } else { "MISSED" }
    );
    println!(
        "  one key: {:.3} ms with the macro, {:.3} ms as expanded source ((way − plain) ÷ {keys})",
        per_key * 1e3,
        expansion_per_key * 1e3
    );
    println!();
}

/// The CPU time (user + system) of this process's waited-for children so far, from
/// `/proc/self/stat` (cutime and cstime, in the kernel's fixed 100 ticks per second); zero where
/// that file does not exist.
fn children_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    // `after` starts at field 3 (the state): cutime and cstime are its 14th and 15th words.
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Duration::from_millis((field(13) + field(14)) * 10)
}

/// The declared scopes of each key: 1 to 4 distinct, non-deprecated scopes, other than `All`
/// (which would make the key hold everything), drawn by a fixed linear congruential sequence.
fn declarations(keys: usize) -> Vec<Vec<&'static str>> {
    let names: Vec<&'static str> = Scope::catalogue()
        .filter(|s| !s.is_deprecated() && !s.is_all())
        .filter_map(|s| s.rust_name())
        .collect();
    let mut state: u64 = 0x5eed;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) % n as u64) as usize
    };
    (0..keys)
        .map(|_| {
            let count = 1 + next(4);
            let mut chosen: Vec<&'static str> = Vec::with_capacity(count);
            while chosen.len() < count {
                let name = names[next(names.len())];
                if !chosen.contains(&name) {
                    chosen.push(name);
                }
            }
            chosen
        })
        .collect()
}

fn header(way: &str) -> String {
    format!(
        "//! Generated by `cargo bench -p clarifai-benches --bench compile_time` ({way}).\n\
         #![allow(missing_docs, missing_debug_implementations)]\n\n"
    )
}

fn write_workspace(root: &Path, repo: &Path, declarations: &[Vec<&str>]) {
    let members: Vec<String> = WAYS.iter().map(|(n, _)| format!("{n:?}")).collect();
    write(
        &root.join("Cargo.toml"),
        &format!(
            "# Generated by the compile_time bench of clarifai-benches.\n\
             [workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    );
    // The same dependency versions as the repository, without asking the registry.
    std::fs::copy(repo.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    let typed = repo.join("clarifai-typed");
    for (name, _) in WAYS {
        write(
            &root.join(name).join("Cargo.toml"),
            &format!(
                "[package]\nname = \"ct-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\nclarifai-typed = {{ path = {:?} }}\n",
                typed.display().to_string()
            ),
        );
    }
    let mut plain = header("plain");
    plain.push_str("pub use clarifai_typed::Key as _;\n\n");
    let mut scoped = header("scoped");
    scoped.push_str("use clarifai_typed::scoped_key;\n\n");
    for (i, scopes) in declarations.iter().enumerate() {
        writeln!(plain, "pub struct Key{i:04};").unwrap();
        writeln!(
            scoped,
            "#[scoped_key({})]\npub struct Key{i:04};",
            scopes.join(", ")
        )
        .unwrap();
    }
    write(&root.join("plain/src/lib.rs"), &plain);
    write(&root.join("scoped/src/lib.rs"), &scoped);
    // Replaced by the dumped expansion before it is timed.
    write(&root.join("expanded/src/lib.rs"), &header("expanded"));
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Removes every artifact of crate `ct-<way>`: what `cargo clean -p` removes, and the incremental
/// compilation cache, which it keeps.
fn clean(root: &Path, way: &str) {
    cargo(root, &["clean", "-p", &format!("ct-{way}")], None);
    let incremental = root.join("target/debug/incremental");
    for entry in std::fs::read_dir(&incremental).into_iter().flatten() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(&format!("ct_{way}-")) {
            std::fs::remove_dir_all(&path).unwrap();
        }
    }
}

/// Runs `cargo ARGS` quietly and offline in `root`, with the expansion dump set to `dump` if given
/// (and unset otherwise, whatever the environment says). Panics with cargo's output on failure.
fn cargo(root: &Path, args: &[&str], dump: Option<&Path>) {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .args(args)
        .args(["--offline", "-q"])
        .current_dir(root);
    // The bench runs under `cargo bench`, whose variables must not leak into the checks.
    for (var, _) in std::env::vars_os() {
        let var = var.to_string_lossy().into_owned();
        if var.starts_with("CARGO_") && var != "CARGO_HOME" || var == "RUSTFLAGS" {
            command.env_remove(&var);
        }
    }
    command.env("CARGO_TARGET_DIR", root.join("target"));
    match dump {
        Some(path) => command.env(DUMP_VAR, path),
        None => command.env_remove(DUMP_VAR),
    };
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "cargo {} failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn output(command: &mut Command) -> String {
    String::from_utf8(command.output().unwrap().stdout).unwrap()
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
