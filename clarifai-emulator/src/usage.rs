//! The scope usage report: per key, every RPC called and the scopes each call exercised, and
//! from that the smallest `#[scoped_key(...)]` declaration that covers the traffic and the
//! granted scopes it never used.
//!
//! A call *exercises*:
//!
//! * its endpoint's **gate** scopes (the key needs them to make the call at all);
//! * each **depending scope whose guarded data the answer returned, or would have returned**:
//!   the emulator looks at the answer before redaction, so a part the key could not see
//!   (withheld: the key lacks the scope) counts as much as a part it saw
//!   ([`EndpointSpec::guards`](clarifai_typed::endpoint::EndpointSpec::guards) says which scope
//!   guards what); a guarded part the answer does not hold (no concepts in a colour
//!   prediction) exercises nothing;
//! * in [`Mode::Strict`](crate::Mode), **every depending scope** of the endpoint (the
//!   server then requires them all).
//!
//! Every call of an authenticated key is counted, refused ones too (11007: the program needs
//! the scope it lacked), and calls that failed for other reasons. Calls with an unknown or
//! malformed key are not.
//!
//! Keys are named, never by their secret: a key made by
//! [`RunningEmulator::client`](crate::RunningEmulator::client) by its key type (`AppKey`), a key
//! made through the API by its description, any other key by its kind and the order the
//! emulator first saw it (`app key #2`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use clarifai_typed::endpoint::EndpointSpec;
use clarifai_typed::models::{Resource, guard_present};
use clarifai_typed::scope::{self, Scope};
use clarifai_typed::{Key, Rpc};
use serde_json::{Value, json};

use crate::Mode;
use crate::state::{KeyRec, KeyType};

/// How a call exercised a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum UseKind {
    /// A gate scope of the endpoint: needed to make the call.
    Gate,
    /// The answer held the resource this scope guards, and the key saw it.
    Returned(Resource),
    /// The answer held the resource this scope guards, and it was withheld: the key lacks the
    /// scope (a redacted answer).
    Withheld(Resource),
    /// A depending scope the server required up front (strict mode).
    Required,
}

impl UseKind {
    /// Whether the scope was needed only to see a guarded part of an answer.
    pub fn is_redaction(self) -> bool {
        matches!(self, UseKind::Returned(_) | UseKind::Withheld(_))
    }
}

impl fmt::Display for UseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = |r: &Resource| match r {
            Resource::Concepts => "concepts",
            Resource::Model => "a model",
            Resource::Input => "an input",
            Resource::Annotation => "an annotation",
            Resource::Workflow => "a workflow",
            _ => "a guarded part",
        };
        match self {
            UseKind::Gate => f.write_str("gate"),
            UseKind::Returned(r) => write!(f, "returned {}", what(r)),
            UseKind::Withheld(r) => write!(f, "withheld {}: the key lacks it", what(r)),
            UseKind::Required => f.write_str("required up front (strict mode)"),
        }
    }
}

/// One scope a call exercised, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScopeUse {
    /// The scope.
    pub scope: Scope,
    /// Every way calls exercised it.
    pub kinds: Vec<UseKind>,
}

/// What one key did with one RPC.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RpcUsage {
    /// The RPC.
    pub rpc: Rpc,
    /// Calls made (refused ones included).
    pub calls: u64,
    /// Calls refused for a missing scope or endpoint permission (11007).
    pub refused: u64,
    /// The scopes the calls exercised, in catalogue order.
    pub scopes: Vec<ScopeUse>,
}

/// What one key did, and what it says about the key's scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct KeyUsage {
    /// The key's name in the report (never its secret): see [the module](self).
    pub label: String,
    /// Whether it is a personal access token.
    pub personal_access_token: bool,
    /// `user/app` for an app key.
    pub app: Option<String>,
    /// The scopes the key holds (closed over dependencies, with `GetApps` for an app key).
    pub granted: Vec<Scope>,
    /// Each RPC called, in table order.
    pub calls: Vec<RpcUsage>,
    /// Every scope the calls exercised, in catalogue order.
    pub used: Vec<Scope>,
    /// The smallest `#[scoped_key(...)]` list covering [`used`](Self::used), closed the way the
    /// macro closes it ([`scope::minimal_declaration`]).
    pub minimal: Vec<Scope>,
    /// Of [`minimal`](Self::minimal), the scopes needed only to see guarded parts of answers
    /// (never a gate, never required up front): a program that ignores those parts can drop
    /// them, and read them as withheld.
    pub redaction_only: Vec<Scope>,
    /// The granted scopes the traffic never used, nor [`minimal`](Self::minimal) brings: what
    /// the real key (and the key type) could drop. `[All]` for a key holding `All` that did not
    /// use every scope.
    pub unused: Vec<Scope>,
}

impl KeyUsage {
    /// The smallest declaration covering the traffic, as Rust source, for key type `type_name`.
    pub fn declaration(&self, type_name: &str) -> String {
        scope::declaration(type_name, &self.minimal)
    }

    /// The scopes `K` grants that the traffic did not need: what `K` declares but does not use.
    /// Empty when `K` declares nothing it does not use.
    pub fn unused_by<K: Key>(&self) -> Vec<Scope> {
        let needed = scope::closure(&self.minimal);
        if K::SCOPES.iter().any(Scope::is_all) && !needed.iter().any(Scope::is_all) {
            return vec![Scope::of::<scope::All>()];
        }
        K::SCOPES
            .iter()
            .filter(|s| !s.is_all() && !needed.contains(s))
            .cloned()
            .collect()
    }

    /// The scopes the traffic used that `K` does not grant.
    pub fn not_granted_by<K: Key>(&self) -> Vec<Scope> {
        self.used
            .iter()
            .filter(|s| !s.is_granted_by(K::SCOPES))
            .cloned()
            .collect()
    }

    fn to_json(&self) -> Value {
        let names = |s: &[Scope]| s.iter().map(Scope::to_string).collect::<Vec<_>>();
        json!({
            "label": self.label,
            "personal_access_token": self.personal_access_token,
            "app": self.app,
            "granted": names(&self.granted),
            "calls": self.calls.iter().map(|c| json!({
                "rpc": c.rpc.name(),
                "calls": c.calls,
                "refused": c.refused,
                "scopes": c.scopes.iter().map(|u| json!({
                    "scope": u.scope.to_string(),
                    "how": u.kinds.iter().map(UseKind::to_string).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "used": names(&self.used),
            "minimal": names(&self.minimal),
            "declaration": self.declaration(&type_name(&self.label)),
            "redaction_only": names(&self.redaction_only),
            "unused": names(&self.unused),
        })
    }
}

/// A Rust type name for a key's declaration: the label when it is one, else `AppKey`.
fn type_name(label: &str) -> String {
    let mut chars = label.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        label.to_owned()
    } else {
        "AppKey".to_owned()
    }
}

impl fmt::Display for KeyUsage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |s: &[Scope]| {
            if s.is_empty() {
                "(none)".to_owned()
            } else {
                s.iter()
                    .map(Scope::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let kind = if self.personal_access_token {
            "personal access token".to_owned()
        } else {
            format!("app key of {}", self.app.as_deref().unwrap_or("?"))
        };
        writeln!(
            f,
            "{} ({kind}), holds [{}]",
            self.label,
            list(&self.granted)
        )?;
        for call in &self.calls {
            let uses: Vec<String> = call
                .scopes
                .iter()
                .map(|u| {
                    let how: Vec<String> = u.kinds.iter().map(UseKind::to_string).collect();
                    format!("{} ({})", u.scope, how.join("; "))
                })
                .collect();
            let refused = if call.refused > 0 {
                format!(", {} refused", call.refused)
            } else {
                String::new()
            };
            writeln!(
                f,
                "  endpoint {} x{}{refused}: {}",
                call.rpc,
                call.calls,
                if uses.is_empty() {
                    "no scope".to_owned()
                } else {
                    uses.join(", ")
                }
            )?;
        }
        writeln!(f, "  smallest declaration covering these calls:")?;
        for line in self.declaration(&type_name(&self.label)).lines() {
            writeln!(f, "    {line}")?;
        }
        if !self.redaction_only.is_empty() {
            writeln!(
                f,
                "  of which needed only to see guarded parts of answers: {}",
                list(&self.redaction_only)
            )?;
        }
        writeln!(f, "  held but never used: {}", list(&self.unused))
    }
}

/// The usage report of a running emulator: one [`KeyUsage`] per key that made a call, in the
/// order the emulator first saw them. [`RunningEmulator::usage_report`](crate::RunningEmulator::usage_report).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct UsageReport {
    /// The keys.
    pub keys: Vec<KeyUsage>,
}

impl UsageReport {
    /// The usage of the key named `label` (a key type's name for keys made by
    /// [`RunningEmulator::client`](crate::RunningEmulator::client)), every key of that name
    /// merged.
    pub fn key(&self, label: &str) -> Option<KeyUsage> {
        let mut matching = self.keys.iter().filter(|k| k.label == label);
        let first = matching.next()?.clone();
        Some(matching.fold(first, merge))
    }

    /// The usage of the keys made for key type `K` by
    /// [`RunningEmulator::client`](crate::RunningEmulator::client), merged.
    pub fn for_key_type<K: Key>(&self) -> Option<KeyUsage> {
        self.key(K::NAME)
    }

    /// The report as JSON (scopes by their Rust names).
    pub fn to_json(&self) -> Value {
        json!({ "keys": self.keys.iter().map(KeyUsage::to_json).collect::<Vec<_>>() })
    }
}

impl fmt::Display for UsageReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.keys.is_empty() {
            return writeln!(f, "scope usage: no key has made a call");
        }
        writeln!(f, "scope usage, per key, as the emulator saw it:")?;
        for key in &self.keys {
            writeln!(f)?;
            write!(f, "{key}")?;
        }
        Ok(())
    }
}

/// Two usages of keys sharing a label, as one.
fn merge(a: KeyUsage, b: &KeyUsage) -> KeyUsage {
    let mut granted = a.granted.clone();
    granted.extend(b.granted.iter().filter(|s| !a.granted.contains(s)).cloned());
    let mut log = KeyLog {
        label: a.label.clone(),
        pat: a.personal_access_token,
        app: a.app.clone(),
        granted,
        calls: BTreeMap::new(),
    };
    for call in a.calls.iter().chain(&b.calls) {
        let entry = log.calls.entry(call.rpc).or_default();
        entry.calls += call.calls;
        entry.refused += call.refused;
        for u in &call.scopes {
            entry
                .uses
                .entry(u.scope.clone())
                .or_default()
                .extend(u.kinds.iter().copied());
        }
    }
    log.usage()
}

/// What the server does with the calls it sees (behind a lock in `Shared`).
#[derive(Debug, Default)]
pub(crate) struct UsageLog {
    keys: Vec<KeyLog>,
    /// Key secret -> position in `keys`.
    by_secret: HashMap<String, usize>,
}

#[derive(Debug)]
struct KeyLog {
    label: String,
    pat: bool,
    app: Option<String>,
    granted: Vec<Scope>,
    calls: BTreeMap<Rpc, RpcLog>,
}

#[derive(Debug, Default)]
struct RpcLog {
    calls: u64,
    refused: u64,
    uses: BTreeMap<Scope, BTreeSet<UseKind>>,
}

/// How a call ended, for the log.
pub(crate) enum Ended<'a> {
    /// Answered with this body (before redaction).
    Answered(&'a Value),
    /// Refused for a missing scope or endpoint permission (11007).
    Refused,
    /// Any other error.
    Failed,
}

impl UsageLog {
    /// Records one call of `key`, holding `held`, to `spec`'s endpoint.
    pub(crate) fn record(
        &mut self,
        key: &KeyRec,
        held: &[Scope],
        spec: &EndpointSpec,
        mode: Mode,
        ended: Ended<'_>,
    ) {
        let position = match self.by_secret.get(&key.id) {
            Some(p) => *p,
            None => {
                let pat = key.key_type == KeyType::PersonalAccessToken;
                let label = if key.description.is_empty() {
                    let kind = if pat {
                        "personal access token"
                    } else {
                        "app key"
                    };
                    let n = self.keys.iter().filter(|k| k.pat == pat).count() + 1;
                    format!("{kind} #{n}")
                } else {
                    key.description.clone()
                };
                self.keys.push(KeyLog {
                    label,
                    pat,
                    app: key.app_id.as_ref().map(|a| format!("{}/{a}", key.user_id)),
                    granted: held.to_vec(),
                    calls: BTreeMap::new(),
                });
                self.by_secret.insert(key.id.clone(), self.keys.len() - 1);
                self.keys.len() - 1
            }
        };
        let Some(log) = self.keys.get_mut(position) else {
            return;
        };
        log.granted = held.to_vec();
        let entry = log.calls.entry(spec.rpc).or_default();
        entry.calls += 1;
        let mut add = |scope: &Scope, kind: UseKind| {
            entry.uses.entry(scope.clone()).or_default().insert(kind);
        };
        for s in spec.gate {
            add(s, UseKind::Gate);
        }
        if mode == Mode::Strict {
            for s in spec.depending.iter().filter(|s| !spec.gate.contains(s)) {
                add(s, UseKind::Required);
            }
        }
        match ended {
            Ended::Answered(body) => {
                for (scope, resource) in spec.guards() {
                    let kind = if scope.is_granted_by(held) {
                        UseKind::Returned(*resource)
                    } else {
                        UseKind::Withheld(*resource)
                    };
                    // Looking into the answer costs a copy of it per guard: only for a use not
                    // yet seen (most calls repeat the uses of the first).
                    let seen = entry.uses.get(scope).is_some_and(|k| k.contains(&kind));
                    if !seen && guard_present(spec.rpc, body, *resource) {
                        entry.uses.entry(scope.clone()).or_default().insert(kind);
                    }
                }
            }
            Ended::Refused => entry.refused += 1,
            Ended::Failed => {}
        }
    }

    /// The report.
    pub(crate) fn report(&self) -> UsageReport {
        UsageReport {
            keys: self.keys.iter().map(KeyLog::usage).collect(),
        }
    }

    /// Forgets every call.
    pub(crate) fn clear(&mut self) {
        *self = UsageLog::default();
    }
}

impl KeyLog {
    fn usage(&self) -> KeyUsage {
        let calls: Vec<RpcUsage> = self
            .calls
            .iter()
            .map(|(rpc, log)| RpcUsage {
                rpc: *rpc,
                calls: log.calls,
                refused: log.refused,
                scopes: log
                    .uses
                    .iter()
                    .map(|(scope, kinds)| ScopeUse {
                        scope: scope.clone(),
                        kinds: kinds.iter().copied().collect(),
                    })
                    .collect(),
            })
            .collect();
        let mut kinds: BTreeMap<Scope, BTreeSet<UseKind>> = BTreeMap::new();
        for log in self.calls.values() {
            for (scope, k) in &log.uses {
                kinds.entry(scope.clone()).or_default().extend(k);
            }
        }
        let used: Vec<Scope> = kinds.keys().cloned().collect();
        let minimal = scope::minimal_declaration(&used);
        let redaction_only = minimal
            .iter()
            .filter(|s| {
                kinds
                    .get(s)
                    .is_some_and(|k| k.iter().all(|k| k.is_redaction()))
            })
            .cloned()
            .collect();
        let needed = scope::closure(&minimal);
        let unused = if self.granted.iter().any(Scope::is_all) {
            if needed.iter().any(Scope::is_all) {
                Vec::new()
            } else {
                vec![Scope::of::<scope::All>()]
            }
        } else {
            self.granted
                .iter()
                .filter(|s| !needed.contains(s))
                .cloned()
                .collect()
        };
        let mut granted = self.granted.clone();
        granted.sort();
        KeyUsage {
            label: self.label.clone(),
            personal_access_token: self.pat,
            app: self.app.clone(),
            granted,
            calls,
            used,
            minimal,
            redaction_only,
            unused,
        }
    }
}
