//! Path parameters of a call, and filling an endpoint's path templates with them.

use std::fmt;

use super::{Error, UserApp};
use crate::endpoint::{Auth, EndpointSpec, PathParam, PathTemplate, Segment};

/// The path parameters of one call (`model_id`, `version_id`, ...), typed by [`PathParam`].
/// Secret ones (a key id) are hidden in `Debug`.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct PathArgs(Vec<(PathParam, String)>);

impl PathArgs {
    /// No parameter.
    pub(crate) fn new() -> PathArgs {
        PathArgs(Vec::new())
    }

    /// Sets `param`, replacing an earlier value.
    pub(crate) fn set(&mut self, param: PathParam, value: String) {
        match self.0.iter_mut().find(|(p, _)| *p == param) {
            Some(slot) => slot.1 = value,
            None => self.0.push((param, value)),
        }
    }

    /// The value of `param`, if set and not empty.
    pub(crate) fn get(&self, param: PathParam) -> Option<&str> {
        self.0
            .iter()
            .find(|(p, v)| *p == param && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// The same parameters with secret values replaced, for logs.
    fn shown(&self) -> PathArgs {
        PathArgs(
            self.0
                .iter()
                .map(|(p, v)| {
                    let v = if p.is_secret() {
                        "redacted".to_owned()
                    } else {
                        v.clone()
                    };
                    (*p, v)
                })
                .collect(),
        )
    }
}

impl<const N: usize> From<[(PathParam, String); N]> for PathArgs {
    fn from(pairs: [(PathParam, String); N]) -> Self {
        PathArgs(pairs.into())
    }
}

impl fmt::Debug for PathArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(param, value)| {
                let shown: &dyn fmt::Debug = if param.is_secret() {
                    &"[redacted]"
                } else {
                    value
                };
                (param.name(), format!("{shown:?}"))
            }))
            .finish()
    }
}

/// Chooses the endpoint's path and appends it, filled, to `out`: full paths when the client has
/// user and app ids, else short paths; among those, the one whose parameters are all given and
/// that uses the most.
pub(crate) fn write_path(
    spec: &EndpointSpec,
    args: &PathArgs,
    ids: Option<&UserApp>,
    out: &mut String,
) -> Result<(), Error> {
    let candidates = if ids.is_some() {
        spec.full_paths
    } else {
        spec.short_paths
    };
    let lookup = |param: PathParam| -> Option<&str> {
        match (param, ids) {
            (PathParam::UserId, Some(ids)) => Some(&ids.user_id),
            (PathParam::AppId, Some(ids)) => ids.app_id.as_deref(),
            _ => args.get(param),
        }
    };
    let fits = |t: &PathTemplate| t.params().all(|p| lookup(p).is_some());
    let best = candidates
        .iter()
        .filter(|t| fits(t))
        .max_by_key(|t| t.params().count());
    let Some(template) = best else {
        let needs_app = || candidates.iter().all(|t| t.has(PathParam::AppId));
        return Err(Error::Usage(match ids {
            None if spec.short_paths.is_empty() && spec.auth == Auth::PatOnly => format!(
                "{} has only user-level paths: build the client with `.user(user_id)` or \
                 `.user_app(user_id, app_id)`",
                spec.rpc
            ),
            None if spec.short_paths.is_empty() => format!(
                "{} has only full paths: build the client with `.user_app(user_id, app_id)`",
                spec.rpc
            ),
            Some(ids) if ids.app_id.is_none() && needs_app() => format!(
                "{} needs an app: build the client with `.user_app(user_id, app_id)`, not \
                 `.user(user_id)`",
                spec.rpc
            ),
            _ => format!(
                "{}: a path parameter is missing or empty ({:?})",
                spec.rpc, args
            ),
        }));
    };
    for segment in template.segments {
        out.push('/');
        match segment {
            Segment::Literal(l) => out.push_str(l),
            Segment::Param(p) => percent_encode_segment(lookup(*p).unwrap_or_default(), out),
        }
    }
    Ok(())
}

/// The filled path, as a string.
pub(crate) fn fill_path(
    spec: &EndpointSpec,
    args: &PathArgs,
    ids: Option<&UserApp>,
) -> Result<String, Error> {
    let mut out = String::with_capacity(64);
    write_path(spec, args, ids, &mut out)?;
    Ok(out)
}

/// The path as logged: secret parameters replaced by `redacted`.
pub(crate) fn logged_path(spec: &EndpointSpec, args: &PathArgs, ids: Option<&UserApp>) -> String {
    fill_path(spec, &args.shown(), ids).unwrap_or_default()
}

fn percent_encode_segment(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::Rpc;

    #[test]
    fn paths_come_from_the_table() {
        let spec = Rpc::PostModelOutputs.spec();
        let model = PathArgs::from([(PathParam::ModelId, "general image".to_owned())]);
        assert_eq!(
            fill_path(spec, &model, None).unwrap(),
            "/v2/models/general%20image/outputs"
        );
        let mut versioned = PathArgs::from([(PathParam::ModelId, "m".to_owned())]);
        versioned.set(PathParam::VersionId, "v1".to_owned());
        assert_eq!(
            fill_path(spec, &versioned, None).unwrap(),
            "/v2/models/m/versions/v1/outputs"
        );
        let ids = UserApp {
            user_id: "me".into(),
            app_id: Some("main".into()),
        };
        assert_eq!(
            fill_path(spec, &model, Some(&ids)).unwrap(),
            "/v2/users/me/apps/main/models/general%20image/outputs"
        );
        let err = fill_path(Rpc::ListKeys.spec(), &PathArgs::new(), None).unwrap_err();
        assert!(err.to_string().contains("user_app"), "{err}");
        assert_eq!(
            fill_path(Rpc::ListKeys.spec(), &PathArgs::new(), Some(&ids)).unwrap(),
            "/v2/users/me/keys"
        );
        let empty = PathArgs::from([(PathParam::InputId, String::new())]);
        assert!(fill_path(Rpc::GetInput.spec(), &empty, None).is_err());
        let key = PathArgs::from([(PathParam::KeyId, "s3cr3t".to_owned())]);
        assert_eq!(
            logged_path(Rpc::GetKey.spec(), &key, Some(&ids)),
            "/v2/users/me/keys/redacted"
        );
        assert!(!format!("{key:?}").contains("s3cr3t"));
    }

    #[test]
    fn a_user_level_client_takes_the_user_level_bindings() {
        let app = UserApp {
            user_id: "me".into(),
            app_id: Some("main".into()),
        };
        let user = UserApp {
            user_id: "me".into(),
            app_id: None,
        };
        let none = PathArgs::new();
        let models = Rpc::ListModels.spec();
        assert_eq!(fill_path(models, &none, None).unwrap(), "/v2/models");
        assert_eq!(
            fill_path(models, &none, Some(&app)).unwrap(),
            "/v2/users/me/apps/main/models"
        );
        assert_eq!(
            fill_path(models, &none, Some(&user)).unwrap(),
            "/v2/users/me/models"
        );
        assert_eq!(
            fill_path(Rpc::ListKeys.spec(), &none, Some(&user)).unwrap(),
            "/v2/users/me/keys"
        );
        let err = fill_path(Rpc::ListInputs.spec(), &none, Some(&user)).unwrap_err();
        assert!(err.to_string().contains("needs an app"), "{err}");
        let err = fill_path(Rpc::ListCollaborators.spec(), &none, None).unwrap_err();
        assert!(err.to_string().contains("only full paths"), "{err}");
    }
}
