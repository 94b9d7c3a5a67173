//! The client's method bounds agree with the endpoint table, for every endpoint.
//!
//! The methods are generated from the endpoint rows (`clarifai-codegen`); this test checks the
//! generated code from the outside: every RPC of the table has its method, under the name and
//! with the arguments the table gives, returning a call of that RPC, and each method compiles
//! for a key type holding exactly that endpoint's gate scopes (a personal access token for
//! PAT-only endpoints), so no method asks for more than its gate. It writes one program from
//! the table and compiles it with trybuild.

use clarifai_typed::endpoint::{Auth, ENDPOINTS};
use clarifai_typed::{Rpc, Scope};

/// The call expression of each RPC's method, on a client named `c`: read from the table (the
/// method's name and its path-parameter arguments).
fn call(rpc: Rpc) -> String {
    let spec = rpc.spec();
    let args: Vec<String> = spec
        .args
        .iter()
        .map(|a| format!("{:?}", a.name()))
        .collect();
    format!("c.{}({})", spec.client_method, args.join(", "))
}

/// The generated program: one key type per app-level endpoint holding exactly its gate scopes,
/// and one function per endpoint calling its method and checking the request type's RPC.
fn program() -> String {
    let mut out = String::from(
        "#![allow(dead_code, non_camel_case_types, non_snake_case)]\n\
         use clarifai_typed::{scoped_key, Client, PatKey, Call, Key};\n\
         use clarifai_typed::models::ApiRequest;\n\
         fn rpc_of<K: Key, R: ApiRequest>(_: &Call<'_, K, R>) -> clarifai_typed::Rpc { R::RPC }\n",
    );
    for e in ENDPOINTS {
        let rpc = e.rpc.name();
        let expr = call(e.rpc);
        let key = match e.auth {
            Auth::PatOnly => "PatKey".to_owned(),
            _ => {
                let mut gate: Vec<&str> = e.gate.iter().filter_map(Scope::rust_name).collect();
                if gate.is_empty() {
                    gate.push("GetApps"); // every key holds it; a key needs one scope
                }
                out.push_str(&format!(
                    "#[scoped_key({})]\npub struct Key_{rpc};\n",
                    gate.join(", ")
                ));
                format!("Key_{rpc}")
            }
        };
        out.push_str(&format!(
            "fn call_{rpc}(c: &Client<{key}>) {{\n    let call = {expr};\n    \
             assert_eq!(rpc_of(&call), clarifai_typed::Rpc::{rpc});\n}}\n"
        ));
    }
    out.push_str("fn main() {}\n");
    out
}

#[rustversion::attr(not(stable(1.95)), ignore = "compiled with the pinned rustc 1.95 only")] // STABLE
#[test]
fn method_bounds_are_exactly_the_gate_scopes() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("agreement");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("gate_bounds.rs");
    std::fs::write(&file, program()).unwrap();
    let t = trybuild::TestCases::new();
    t.pass(&file);
}
