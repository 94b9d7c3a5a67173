//! One HTTP exchange: a request's bytes out, the answer's status, `Retry-After` and body back.
//!
//! Two transports, chosen once when the client is built:
//!
//! * **hyper** (the default): hyper-util's pooled HTTP/1.1 client with rustls and the Mozilla
//!   roots (webpki-roots), the same stack reqwest runs on, without reqwest's own layers. Those
//!   layers (its request type, default-header merging, `Url` to `Uri`, boxed timeouts and bodies)
//!   cost 8–9 µs a call on loopback, about as much as decoding the answer, and the client
//!   was measured slower than raw reqwest because of them (issue 8, `benches/client_overhead`).
//! * **reqwest**: a client the user gives ([`http_client`](super::ClientBuilder::http_client)),
//!   or ours when the environment names a proxy for the base URL (`HTTPS_PROXY`, `HTTP_PROXY`,
//!   `ALL_PROXY`, less `NO_PROXY`). Proxies are decided with the same matcher reqwest uses
//!   (hyper-util's), so a proxy that reqwest would use is used, by reqwest.
//!
//! Both send the same request: method, URL, `Authorization`, `User-Agent`, and
//! `Content-Type: application/json` with a body.

use std::error::Error as StdError;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, LOCATION, RETRY_AFTER, USER_AGENT};
use hyper::http::uri::{Authority, PathAndQuery, Scheme};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client as PooledClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::endpoint::Method;

/// How long an unused connection stays in the pool (reqwest's default too).
const POOL_IDLE: Duration = Duration::from_secs(90);

/// A transport error: its kind in a few words ("timed out", "could not connect", ...) and the
/// underlying error.
pub(crate) type Failure = (&'static str, Box<dyn StdError + Send + Sync>);

const TIMED_OUT: &str = "timed out";
const NO_CONNECTION: &str = "could not connect";
const BROKE: &str = "the connection broke while reading the answer";
const FAILED: &str = "the request failed";

/// One request: method, path and query (after the base URL's host), `Authorization`, and the
/// JSON body if any.
pub(crate) struct Outgoing<'a> {
    pub(crate) method: Method,
    pub(crate) target: &'a Bytes,
    pub(crate) auth: &'a HeaderValue,
    pub(crate) body: Option<Bytes>,
}

/// What came back.
pub(crate) struct Answer {
    pub(crate) http_status: u16,
    pub(crate) retry_after: Option<Duration>,
    /// Where a redirect (3xx) points. The client follows no redirect (a reqwest client the user
    /// gives follows them as set): the API does not send them, and a base URL that draws one is to be corrected, not followed on every call
    /// (reqwest would follow a 301 or 302 with a GET, dropping the body of a POST).
    pub(crate) location: Option<String>,
    pub(crate) body: Bytes,
}

/// The transport settings of [`ClientBuilder`](super::ClientBuilder).
pub(crate) struct Settings {
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Duration,
    pub(crate) user_agent: String,
}

pub(crate) enum Transport {
    Hyper(Box<Hyper>),
    Reqwest {
        http: reqwest::Client,
        /// The base URL's scheme and host: a call's path and query follow.
        origin: String,
    },
}

pub(crate) struct Hyper {
    pool: PooledClient<HttpsConnector<HttpConnector>, Full<Bytes>>,
    /// The base URL's scheme and host, parsed once: a call's path and query follow.
    scheme: Scheme,
    authority: Authority,
    user_agent: HeaderValue,
    timeout: Option<Duration>,
}

impl Transport {
    /// Sends through `http`, to `base`.
    pub(crate) fn reqwest(http: reqwest::Client, base: &reqwest::Url) -> Transport {
        Transport::Reqwest {
            http,
            origin: base.origin().ascii_serialization(),
        }
    }

    /// The transport for `base`: hyper, unless the environment names a proxy for it.
    pub(crate) fn new(base: &reqwest::Url, settings: Settings) -> Result<Transport, String> {
        let uri: hyper::Uri = base
            .as_str()
            .parse()
            .map_err(|e| format!("the base URL is not a URI: {e}"))?;
        let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
            return Err(format!("the base URL {base} has no scheme or host"));
        };
        if Matcher::from_system().intercept(&uri).is_some() {
            let mut b = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(settings.user_agent)
                .connect_timeout(settings.connect_timeout);
            if let Some(t) = settings.timeout {
                b = b.timeout(t);
            }
            let client = b.build().map_err(|e| e.to_string())?;
            return Ok(Transport::reqwest(client, base));
        }
        let user_agent = HeaderValue::from_str(&settings.user_agent).map_err(|_| {
            format!(
                "the user agent {:?} is not a header value",
                settings.user_agent
            )
        })?;
        let mut http = HttpConnector::new();
        http.set_nodelay(true);
        http.enforce_http(false);
        http.set_connect_timeout(Some(settings.connect_timeout));
        let https = HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| format!("TLS: {e}"))?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let pool = PooledClient::builder(TokioExecutor::new())
            .pool_idle_timeout(POOL_IDLE)
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .build(https);
        Ok(Transport::Hyper(Box::new(Hyper {
            pool,
            scheme: scheme.clone(),
            authority: authority.clone(),
            user_agent,
            timeout: settings.timeout,
        })))
    }

    /// Sends one request and reads the whole answer.
    pub(crate) async fn exchange(&self, out: Outgoing<'_>) -> Result<Answer, Failure> {
        match self {
            Transport::Hyper(hyper) => {
                let exchange = hyper.exchange(out);
                match hyper.timeout {
                    Some(limit) => tokio::time::timeout(limit, exchange)
                        .await
                        .map_err(|elapsed| (TIMED_OUT, Box::new(elapsed) as _))?,
                    None => exchange.await,
                }
            }
            Transport::Reqwest { http, origin } => {
                let target =
                    std::str::from_utf8(out.target).map_err(|e| (FAILED, Box::new(e) as _))?;
                let url = reqwest::Url::parse(&format!("{origin}{target}"))
                    .map_err(|e| (FAILED, Box::new(e) as _))?;
                reqwest_exchange(http, url, out).await
            }
        }
    }
}

impl Hyper {
    async fn exchange(&self, out: Outgoing<'_>) -> Result<Answer, Failure> {
        let Outgoing {
            method,
            target,
            auth,
            body,
        } = out;
        let mut parts = hyper::http::uri::Parts::default();
        parts.scheme = Some(self.scheme.clone());
        parts.authority = Some(self.authority.clone());
        parts.path_and_query = Some(
            PathAndQuery::from_maybe_shared(target.clone())
                .map_err(|e| (FAILED, Box::new(e) as _))?,
        );
        let uri = hyper::Uri::from_parts(parts).map_err(|e| (FAILED, Box::new(e) as _))?;
        let json = body.is_some();
        let mut request = hyper::Request::new(Full::new(body.unwrap_or_default()));
        *request.method_mut() = http_method(method);
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.insert(USER_AGENT, self.user_agent.clone());
        headers.insert(AUTHORIZATION, auth.clone());
        if json {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let response = self.pool.request(request).await.map_err(|e| {
            let kind = if e.is_connect() {
                NO_CONNECTION
            } else {
                FAILED
            };
            (kind, Box::new(e) as _)
        })?;
        let http_status = response.status().as_u16();
        let retry_after = retry_after(response.headers().get(RETRY_AFTER));
        let location = location(http_status, response.headers().get(LOCATION));
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| (BROKE, Box::new(e) as _))?
            .to_bytes();
        Ok(Answer {
            http_status,
            retry_after,
            location,
            body,
        })
    }
}

async fn reqwest_exchange(
    http: &reqwest::Client,
    url: reqwest::Url,
    out: Outgoing<'_>,
) -> Result<Answer, Failure> {
    let Outgoing {
        method, auth, body, ..
    } = out;
    let mut builder = http.request(http_method(method), url);
    // A client of ours does not follow redirects (see `Answer::location`); a user's client
    // follows them as it was set to.
    if let Some(body) = body {
        builder = builder.header(CONTENT_TYPE, "application/json").body(body);
    }
    let response = builder
        .header(AUTHORIZATION, auth.clone())
        .send()
        .await
        .map_err(reqwest_failure)?;
    let http_status = response.status().as_u16();
    let retry_after = retry_after(response.headers().get(RETRY_AFTER));
    let location = location(http_status, response.headers().get(LOCATION));
    let body = response.bytes().await.map_err(reqwest_failure)?;
    Ok(Answer {
        http_status,
        retry_after,
        location,
        body,
    })
}

fn reqwest_failure(e: reqwest::Error) -> Failure {
    let kind = if e.is_timeout() {
        TIMED_OUT
    } else if e.is_connect() {
        NO_CONNECTION
    } else if e.is_body() || e.is_decode() {
        BROKE
    } else {
        FAILED
    };
    // The URL holds no secret, but drop it anyway: errors are logged.
    (kind, Box::new(e.without_url()))
}

fn http_method(method: Method) -> hyper::Method {
    match method {
        Method::Get => hyper::Method::GET,
        Method::Post => hyper::Method::POST,
        Method::Patch => hyper::Method::PATCH,
        Method::Delete => hyper::Method::DELETE,
    }
}

/// The `Location` of a redirect, when it is text.
fn location(http_status: u16, value: Option<&HeaderValue>) -> Option<String> {
    if !(300..400).contains(&http_status) {
        return None;
    }
    value.and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// `Retry-After` in seconds; the HTTP-date form is not sent by the API and reads as none.
fn retry_after(value: Option<&HeaderValue>) -> Option<Duration> {
    value
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}
