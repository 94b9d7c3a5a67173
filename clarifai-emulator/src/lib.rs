//! A local Clarifai API server for tests and development: it speaks the REST API's JSON, enforces
//! keys and scopes like the real service, and answers predictions computed from the pixels.
//!
//! Everything about endpoints comes from `clarifai_typed`'s endpoint table
//! ([`ENDPOINTS`](clarifai_typed::endpoint::ENDPOINTS)): the routes (short and full paths), the gate
//! scopes (a key without them gets 11007), the depending scopes (see [`Mode`]) and the response
//! parts each depending scope guards (blanked in a *redacted response*).
//!
//! ```no_run
//! # async fn demo() -> Result<(), clarifai_emulator::EmulatorError> {
//! use clarifai_emulator::{Emulator, Mode};
//! use clarifai_typed::{Scope, scope};
//!
//! let emu = Emulator::builder().mode(Mode::Redact).user("me").app("main").start().await?;
//! let secret = emu.create_key(&[Scope::of::<scope::Predict>()]);
//! println!("{} with key {secret}", emu.base_url());
//! # Ok(()) }
//! ```
//!
//! # Built-in models
//!
//! Every app (and the public app `clarifai/main`, reachable with a PAT) has built-in models:
//! stand-ins for Clarifai's public catalogue under the ids, names, versions and output types
//! Clarifai publishes, so that requests naming them are served. Every output is computed from
//! the pixels (PNG, JPEG, BMP, TIFF, GIF), deterministically: the same image gives the same
//! output. None is Clarifai's: a stand-in has its model's *shape*, not its knowledge.
//!
//! | Model ids (name) | Output |
//! |---|---|
//! | `color-recognition`, `eeed0b6733a644cea07cf4c60f87ebb7` (`color`) | `data.colors`: dominant colours, each the mean of the pixels nearest to one of the 140 W3C colours (`raw_hex`, `w3c {hex, name}`, `value` = share of the image) |
//! | `general-image-embedding`, `bbb5f41425b8468d9b7a554ff10f8581` (`general`, type `embed`) | `data.embeddings[{vector, num_dimensions}]`: 128 dimensions (colour histogram, 4×4 grid of mean colours, 4×4 grid of edge strength), L2-normalised |
//! | `general-image-recognition`, `aaa03c23b3724a16a56b629203edc62c` (`general-v1.3`) | `data.concepts`: colour words (`red`, `blue`, ...), `bright`/`dark`, `colorful`/`monochrome`, `smooth`/`textured`, values in 0..1 |
//! | `general-image-detection` | `data.regions[{id, region_info.bounding_box {top_row, left_col, bottom_row, right_col}, data.concepts, value}]`: one region per colour word covering at least 5% of the image, its box the bounding box of those pixels (fractions of the image), its value the share of the box they fill |
//! | apparel `e0be3b9d…`, food `bd367be1…` (`food-items-v1.0`), travel `eee28c31…` (`travel-v1.0`), wedding `c386b7a8…` (`weddings-v1.0`), moderation `d16f390e…`, NSFW `e9576d86…` (`nsfw-v1.0`), textures & patterns `fbefb47f…`, landscape quality `bec14810…`, portrait quality `de9bd05c…` | `data.concepts` of the model's own small vocabulary (food: `vegetable`, `bread`, `coffee` ...; moderation: `safe`, `suggestive`, `explicit`, `gore`, `drug`; NSFW: `sfw`, `nsfw`; quality: `high quality`, `low quality`), each scored from measurements of the image (colour-word shares, brightness, saturation, edge strength, contrast, skin-coloured share): see `builtin.rs` for each concept's recipe |
//! | face detection `a403429f…` (`face`, type `facedetect`) | `data.regions` with boxes: the connected skin-coloured areas (RGB rule of Kovač et al.) of at least 1.5% of the image, at most 5; no skin, no regions |
//! | face embedding `d02b4508…` (`face`, type `embed`) | the same regions, each with `data.embeddings` of the image cropped to it |
//! | demographics `c0c0ac36…`, celebrity `e466caa0…` (`celeb-v1.3`) | the same regions with `data.concepts` and `data.face.{age,gender,multicultural}_appearance.concepts` (Clarifai's vocabularies), or `data.face.identity.concepts` (placeholder identities `identity 01`…): a softmax of the face crop's embedding projected on fixed pseudo-random directions, a function of the pixels that **estimates nothing** |
//! | logo `c443119b…` | `data.regions` of compact saturated areas (0.5% to 25% of the image), each with one concept naming its shape (`round mark`, `wide mark`, `tall mark`, `square mark`) |
//! | focus `c2cf7cec…` | `data.focus {density, value}` (edge strength overall, and the share of sharp cells of a 4×4 grid) and one region, the box of the sharp cells |
//!
//! A model asked for by a legacy id answers under that id (the id asked for is the id
//! answered), and any of its published versions (General's `aa7f35c0…` and 2016's
//! `aa9ca482…`, food's `dfebc169…`, moderation's `aa8be956…`) is accepted and echoed. A list of
//! models shows no `output_info.data` (Clarifai's payload 061); GetModel and GetModelOutputInfo
//! show the concepts a model knows, each with `created_at` and without `value` (payloads 058,
//! 067).
//!
//! Custom models (PostModels with `output_info.data.concepts`) are trained by PostModelVersions
//! on the app's processed inputs labelled with those concepts (labels from `data.concepts` of
//! inputs and from annotations): one centroid of embeddings per concept; predictions score each
//! concept by cosine similarity (0..1). A concept the inputs carry only as negative labels
//! (`value` 0, which is what clarifai-grpc's JSON channel sends for an unset value) is trained on
//! those: it scores one minus the similarity to their centroid. Workflows run their nodes' models; every app also has the
//! base workflow `General` (the General model, then the embedding; each node naming its model's
//! version), listed by ListWorkflows unless the app has a workflow of its own by that id.
//!
//! Searches (PostSearches with `query.ands`, PostInputsSearches and PostAnnotationsSearches with
//! `searches[].query.{filters,ranks}`) filter by concept (a label, or a general-model prediction of
//! at least 0.5), metadata (subset match), input id and geo location (`data.geo`: a `geo_point`
//! with a `geo_limit`, by great-circle distance, or a `geo_box`), and rank by embedding cosine
//! similarity to an image or an input of the app. Only processed inputs (30000) are searched; a
//! search first waits (30 s at most) for the inputs still being processed, so that it sees every
//! input added before it (Clarifai's suites search right after adding).
//!
//! # Behaviour where Clarifai's documentation is silent
//!
//! These are the emulator's choices; each is made in one place in the code.
//!
//! * **Authentication.** `Authorization: Key <secret>`, the scheme in any case (`key`, `KEY`:
//!   HTTP authentication schemes are case-insensitive, RFC 9110 §11.1). A missing header, another
//!   scheme (`Bearer`) or a malformed secret (anything but 1–128 printable ASCII characters without
//!   spaces: the client's rule, `clarifai_typed::check_secret`)
//!   is 11008 with HTTP 401 (`details` "Invalid format of key." or "Missing Authorization
//!   header…"). An unknown secret is 11009 / 401, except on a full path naming the user `me`
//!   (which only a valid key resolves): 11008 "Invalid API key or Invalid API key/application
//!   pair", as Clarifai's grpc suite expects (`test_invalid_api_key`), while its 2.6.2 suite
//!   expects 11009 on short paths. The secret is never echoed. An expired key (`expires_at` in
//!   the past) is 11008 / 401, details "API key has expired.".
//! * **Unknown paths and methods** are answered after the key is checked: a missing or bad key
//!   gets the same 11008/11009 on every path, known or not, and only a valid key learns that a
//!   path does not exist (11101 / 404) or takes another method (11103 / 405).
//! * **CORS** (for Clarifai's JavaScript client in a web page): any `OPTIONS` request is a
//!   preflight, answered 204 without a key, allowing every method and the headers asked for
//!   (max age 600 s). Every answer allows the calling `Origin` (with credentials, `Vary:
//!   Origin`), or `*` when the request names none, and exposes `Retry-After`.
//! * **Key ↔ path.** An app key reaches its own app through short paths, or full paths naming its
//!   user (or `me`) and app; any other app is 11008. A PAT reaches its user's apps through full
//!   paths; on an app-level short path it gets 11008 "Must provide app external ID in API
//!   authorizer". PAT-only endpoints answer app keys with 11008. A PAT may also read and predict
//!   with the built-in models and workflows of the public app `clarifai/main`. A full path naming an app that
//!   does not exist is 11101 / 404.
//! * **Endpoint permissions.** A key created with `endpoints` (`/clarifai.api.V2/...`) may call
//!   only those RPCs (and MyScopes); others are 11007 naming the endpoint.
//! * **Scopes.** Keys are stored with their scopes closed over Clarifai's dependencies (as the
//!   portal does), and every **app key** also holds `Apps:Get` (the portal grants it; the client's
//!   key types always include it). PATs hold exactly their scopes (`All` grants everything).
//!   A missing gate scope is 11007 with **HTTP 401**, `details`
//!   `"missing scopes: Inputs:Delete; endpoint: /clarifai.api.V2/DeleteInputs"`. MyScopes returns
//!   `["All"]` literally for an `All` key.
//! * **Batch limit.** More than 128 inputs in PostInputs, PostModelOutputs or PostWorkflowResults
//!   is 39999 (`INPUT_INVALID_REQUEST`) / 400, details "batch of 129 inputs exceeds the limit of
//!   128".
//! * **Trailing slash.** A `/` at the end of a path is ignored: `PATCH /v2/models/` is
//!   `PATCH /v2/models` (Clarifai's docs publish such paths, e.g. "Delete all models", and its old
//!   clients send them).
//! * **Pages.** `page` (from 1) and `per_page` query parameters on GET lists; `pagination` in POST
//!   bodies (query parameters are accepted there too). `per_page` defaults to 128 and is clamped
//!   to 1..=1000; `page` 0 means 1.
//! * **Deleting all models**: a bare `DELETE /v2/models` (no `ids`, no `delete_all`) deletes every
//!   custom model of the app, as Clarifai's "Delete all models" example (no body) expects; the
//!   other batch deletes need `ids` or `delete_all` (11102 otherwise).
//! * **Inputs** are answered 30001 "Download pending" and processed by a background task right
//!   after (30000, or 30002 with details when the URL cannot be fetched or the bytes do not
//!   decode; a video is downloaded, not decoded). [`RunningEmulator::wait_idle`] waits for it.
//!   The uploaded images of a batch are decoded as one job on the blocking pool, and such jobs
//!   take turns: at most half the machine's cores (at least one) decode in the background at
//!   once, so that a large upload never takes every core from the requests arriving meanwhile
//!   (a predict's own images are not held back by it). A duplicate input id (in the app or the batch) fails the request with 40010 / 400. An input
//!   whose `image.url` (or `video.url`) an input of the app (or of the batch) already has fails
//!   the request with 30100 `INPUT_DUPLICATE` / 400, nothing stored, unless it sets
//!   `allow_duplicate_url` (Clarifai checks duplicates by default; the 2.6.2 suite's
//!   `test_post_dup_url_with_check`); the code of a whole request refused for it is the
//!   emulator's choice.
//! * **Hosted copies.** Once the emulator holds an input's bytes (uploaded, or downloaded from
//!   its URL) the input shows `data.image.hosted {prefix, suffix, sizes, crossorigin}` (video:
//!   `data.video.hosted`), the layout of Clarifai's secure data hosting: the copy of size `s` is
//!   `{prefix}/{s}/{suffix}`, suffix `users/{user}/apps/{app}/inputs/{image|video}/{input id}`.
//!   Sizes: `orig` (the bytes as given), `tiny`, `small`, `large` (JPEG, longest side 128, 320,
//!   1024 pixels, never enlarged); a video has `orig` and `thumbnail` (its first frame, 320
//!   pixels, when it is a GIF or a still: the emulator decodes no codec). Media uploaded as
//!   bytes also gets `url`, its `orig` copy (the 2.6.2 client expects a `url` on every image).
//!   The prefix is the emulator's base URL unless [`EmulatorBuilder::hosting_url`] sets another
//!   (the URL clients should see: Clarifai's was `https://s3.amazonaws.com/clarifai-api/img3/prod`
//!   in 2019, `https://data.clarifai.com` today); the copies are served under its path, whatever
//!   its host. A copy is served to a key that may read the app's inputs (`Inputs:Get`), given as
//!   `Authorization: Key …` or as the cookie `x-clarifai-api-key`; a bad key, or one without
//!   access, is 401; session tokens (`X-Clarifai-Session-Token`, cookie
//!   `x_clarifai_session_token`) are a credential of Clarifai's portal the emulator does not
//!   issue, so any is 401; no credential is 404.
//! * **Predictions.** One failed input among several: 10010 `MIXED_STATUS` / HTTP 207, with
//!   per-output statuses. All failed alike (every input 30002): that status at the top, HTTP
//!   400, as today's API answers (the grpc suite's `test_failed_predict`; the 2019–2020
//!   payloads 086 and 087 show 10020 there); all failed differently: 10020 `FAILURE` / 400.
//! * **Videos** (`data.video.url` or `.base64` in PostModelOutputs and PostWorkflowResults): the
//!   emulator decodes no video codec (MP4, WebM ...: a per-input failure, 30002). An animated
//!   GIF is sampled every `sample_ms` milliseconds (`output_config.sample_ms`, default 1000):
//!   each sample is the frame shown at the middle of its interval (the last interval ending
//!   with the animation), and `frame_info.time` is that middle, as Clarifai's grpc suite expects
//!   (`1000, 3000, ...` for `sample_ms` 2000; the 2019 suite wanted multiples of `sample_ms`
//!   instead). At most 100 samples, from the first 1000 frames; a GIF frame's delay of 0 counts
//!   as 100 ms, as in browsers. A still image is one frame at time 0. The output is
//!   `data.frames[{frame_info {index, time}, data}]`, output options (`max_concepts`,
//!   `min_value` ...) applying per frame.
//! * **The public app** `clarifai/main` answers a PAT's reads of its models and workflows and
//!   predictions with them (PostModelOutputs, PostWorkflowResults); anything else there is 11008.
//!   PostWorkflowResults takes its options from the request's `output_config` (and a model's
//!   `output_info.output_config` where both are given, the model's wins).
//! * **The catalogue's ids, names and versions.** The 32-hex model ids are those of the 2.6.2
//!   client's `PublicModels`; names and output types those of Clarifai's published model
//!   payloads (`general-v1.3`, `general` embed, `face` detect-embed, `celeb-v1.3`, `logo`,
//!   `demographics`, `nsfw-v1.0`) or of the suites' lookups (`apparel`, `food-items-v1.0`,
//!   `travel-v1.0`, `weddings-v1.0`; face detection is `face` of type `facedetect`, as the
//!   2.6.2 suite looks it up). Version ids are Clarifai's where a suite or payload names one
//!   (General, food, moderation, demographics, face embedding); the others, the vocabularies,
//!   output types not published (focus: `focus`) and the creation times are the emulator's.
//! * **Concepts.** A concept id that exists (PostConcepts) is 40003 `CONCEPTS_INVALID_REQUEST`
//!   "Invalid request" / 400, details naming the duplicate, as both suites expect.
//! * **Image URLs** are fetched with a timeout (10 s by default), and only from loopback hosts
//!   unless [`EmulatorBuilder::allow_remote_urls`] is set: a remote URL is a per-input 30002.
//! * **Not found**: models and model versions 21200, workflows 22102, other things (inputs,
//!   concepts, annotations, keys, apps) 11101; all with HTTP 404. A missing input is 11101
//!   "Resource does not exist", not 30102 `INPUT_DOES_NOT_EXIST`: Clarifai's grpc client suite
//!   polls a deleted input until it answers 11101. Bad JSON is 11100 / 400; other
//!   invalid requests 11102 / 400; an unknown path 11101 / 404; a wrong method 11103 / 405.
//! * **Nesting**: a request body that nests objects and arrays more than 100 levels deep is
//!   11102 / 400 and changes nothing, so that everything stored can be read back from the state
//!   file and shown (JSON parsers commonly stop at 128 levels, and protobuf's at 100).
//! * **Rate limit** (optional, per key, a fixed one-second window): 11005 / 429, details
//!   "exceeded limit of N requests per second", `Retry-After: 1`.
//! * **Training** (PostModelVersions) is asynchronous, as Clarifai's: the new version answers
//!   21103 (queued), turns 21101 (training) in the background, waits for inputs still being
//!   processed (up to 30 s), then trains: 21100 (trained), or 21110 (no data) when no processed
//!   input is labelled with its concepts. [`RunningEmulator::wait_idle`] waits for it. The
//!   version's concepts and `output_config` (hyper parameters ...) are those of the request's
//!   `model_versions[0].output_info`, else the model's; a version with no concept is refused
//!   with 21202 (`MODEL_INVALID_ARGUMENT`) / 400, as the 2.6.2 suite expects. Predicting with a
//!   model that has no trained version is 21102 / 400. A new model (PostModels) has one
//!   untrained version (21102).
//! * **Redaction** removes the guarded field (it is absent from the JSON, not an empty list).
//! * **Responses** always carry `status` with `code`, `description`, `req_id` (32 hex digits) and,
//!   on errors, `details`; error bodies also carry the endpoint's always-present list (`"models":
//!   []`, as in Clarifai's own 11009 body). ListInputs answers 10010 / 207 when the page holds a
//!   failed input (as the legacy client expects). Image bytes (`image.base64`) are not sent
//!   back; a processed input shows `image.image_info {width, height, format}` and `hosted`
//!   instead.
//! * **Key management** (PostKeys, PatchKeys) refuses unknown scope names with 11102 / 400; an
//!   app-specific key needs exactly one app of the calling user. Key ids are the secrets (as in
//!   Clarifai's `Key.id`), so ListKeys shows them; error details never repeat a secret.
//! * **No escalation through key management.** The protos gate PostKeys and PatchKeys on
//!   `Keys:Add` and say nothing of what the new key may hold; the emulator lets a credential
//!   make or change only keys within its own reach: their scopes (closed over dependencies)
//!   granted by its own (`All` only by `All`), their endpoints a subset of its own when it is
//!   limited to some, their expiry no later than its own when it expires. It patches or deletes
//!   only keys within that reach too (a weak key cannot revive or re-scope a stronger one).
//!   Otherwise 11007, naming what the caller lacks; nothing is stored.
//! * **Redaction** covers a guarded resource wherever the response type can hold it (concepts
//!   under video frames, detected regions, the model echoed in an output, an annotation search
//!   hit; a workflow node's model), derived from the types of `clarifai_typed::models`.
//!   **Counts**: a model version's `active_concept_count` stays (it is the version's metadata,
//!   read with `Models:Get`, and says how many concepts, never which); a search whose answer
//!   would depend on guarded data needs that data's scope (see the next item), so hit counts
//!   reveal nothing guarded. A key with `Search` but not `Inputs:Get` does learn how many inputs
//!   match a metadata, geo or image query and their scores, not which inputs: the hits are
//!   redacted to their scores.
//! * **Reading through another endpoint.** The protos list `cl_depending_scopes` as a minimum.
//!   An input named only by id in PostModelOutputs or PostWorkflowResults, a search naming
//!   inputs by id, needs `Inputs:Get`; a search by concepts `Concepts:Get`; a filtered
//!   annotation search `Annotations:Get`. Without it the request is 11007 before anything is
//!   looked up, so a key cannot tell a missing id from a forbidden one.
//! * **Bad input.** Request bodies are decoded into typed requests (proto3 JSON rules): a
//!   wrongly typed field is 11102 / 400 naming the field (never repeating its value), and
//!   nothing is stored. A request that fails stores none of its items. Any list in a request
//!   holds at most 1000 items; a body over 128 MiB is 40033 / HTTP 413, a path and query over
//!   8 KiB 11100 / HTTP 414, as JSON (paths over 64 KiB are refused by the HTTP layer itself
//!   with an empty 414).
//! * **Images** are read up to 20 MiB, from loopback URLs only (every redirect hop too, at most
//!   5 hops) unless remote URLs are allowed; their header's dimensions are checked before any
//!   decoding, and an image over 25 megapixels is a per-input 30002. PNG, JPEG, GIF (its first
//!   frame), BMP and TIFF decode.
//! * **User-level bindings.** `GET /v2/users/{user_id}/models` and `.../datasets` (no app in the
//!   path): with a PAT, the models (datasets) of every app of the user, and the public models only
//!   at `/v2/users/clarifai/models`; with an app key, those of its own app.
//! * **Model search** (PostModelsSearches): `model_query.name` with `*` wildcards, compared
//!   case-insensitively to the model's name, `type` to `output_info.type`, `model_type_id` to the
//!   model type; the app's models, then the public ones (in `clarifai/main`, the public ones); an
//!   empty list when nothing matches.
//! * **Feedback** (PostModelFeedback, PostSearchFeedback, RPCs of the 2.6.2 client's protos) is
//!   validated (an `input` with `feedback_info.{event_type, end_user_id, session_id}`; the model
//!   and version exist; a search feedback's `search_id` and input id) and acknowledged; nothing is
//!   kept.
//! * **Evaluation.** PostModelVersionMetrics answers a trained version with `metrics.status` 21303
//!   (queued) and evaluates it in the background, on the app's inputs labelled with its concepts:
//!   21300 with `metrics.summary`, or 21315 when there are none. GetModelVersionMetrics shows where
//!   it is (21302 before any evaluation).
//! * **Saved searches.** PostSearches with `searches[].save: true` stores those searches under
//!   their ids instead of running them (it needs `SavedSearch:Add`; the answer holds no hits).
//!   PostSearchesByID runs one on the app's inputs as they are now (those added by its `as_of`,
//!   when it has one), with the scopes of the key that runs it.
//! * **Input-level annotations.** PostInputs gives each input its input-level annotation (in the
//!   same change: a refused batch stores neither). One source of truth: the input's labels live
//!   in its `data.concepts`, and the annotation holds no copy: it shows them (ListAnnotations,
//!   GetAnnotation, annotation search hits), PatchAnnotations on it changes them (and the
//!   input's `modified_at`), PatchInputs' concept changes show through it (and change its
//!   `modified_at`). Searches by labels therefore find an input through either. It goes with
//!   its input (DeleteInput(s)); DeleteAnnotations by `input_ids` keeps it, and deleting it by
//!   its id is 11102 / 400 (nothing deleted): its concepts are removed with a PATCH instead.
//!   Inputs of a state file written before this have theirs created at start.
//! * **Collaborators** are a list per app (user, scopes, endpoints); a key grants a collaborator
//!   only what it holds; a collaboration gives no access to the emulator's API.
//! * **Datasets** hold inputs of their app; a version is a snapshot of them, answered 64005
//!   (pending) and made ready (64015, with its counts) by a background task.
//! * **PostApps** creates apps for the PAT's own user, reachable at once by the user's PATs.
//! * **Concept languages**: a concept's name in its own language, and names added in others.
//! * **State file** ([`EmulatorBuilder::state_file`], `--state FILE`): an SQLite database
//!   (SQLite bundled through `rusqlite`: nothing to install). Chosen over redb because the file
//!   says whose it is in its header (`application_id`), can be read with the `sqlite3` shell, has
//!   a format that has not changed in twenty years and crash safety tested as long; redb is pure
//!   Rust, but nothing outside Rust reads its files and its format changed between major
//!   versions. One row per entity (user, app, input, concept, annotation, model with its
//!   versions, workflow, key, saved search, dataset with its members and versions, collaborator,
//!   concept language, evaluation), its JSON in a `body` column (a string over 64 KiB, an image's
//!   bytes, in columns of its own, so that it is copied rather than escaped); each change writes
//!   only the rows it touched, in one transaction (WAL), so a change costs the same whatever the
//!   state holds (a small write: 1–4 ms with a 50 MB image stored, where the JSON file took 5–6
//!   s; debug builds, measured in one run). A request that
//!   changed something is answered once its rows are committed: what a client was told
//!   succeeded survives the process being killed at any moment (`kill -9`). A power cut may
//!   lose the last changes but not the file (`synchronous = NORMAL`: an fsync per change would
//!   cost several times the request). When the rows cannot be written the answer is 99009 /
//!   HTTP 500 ("... not saved ..."), and the change stays in memory. Changes are queued
//!   under the state lock and written in that order by one thread, without the lock: reads
//!   never wait for the disk (and may see a change a moment before it is committed). A new file
//!   is created mode 0600 (it holds key secrets). At start, a missing or empty file becomes an
//!   empty state; any other file that is not an emulator state (another program's JSON or
//!   SQLite database, a JSON state of an earlier emulator, which is not converted) is refused
//!   and left as it was; a location that cannot be written, or a file another emulator holds
//!   (it stays locked while the emulator runs), is an error before anything is served
//!   ([`EmulatorError::StateFile`], saying what to do). Inputs still pending (30001) when the
//!   last run stopped are processed after the start; results of a processing go only to the
//!   input it read, never to one re-added under the same id meanwhile.
//! * **Secrets in messages**: no answer, [`EmulatorError`] or message of the binary repeats a
//!   secret. The binary's `--key` and `--pat` errors name the problem, never the value (clap
//!   quotes refused values, so these two have a parser of their own; an unknown scope name is
//!   quoted only when it has a colon, which no secret has); a state-file row that does not decode
//!   is named by kind and app, never by a key's id.
//! * **Fault injection**: see [`Fault`].

mod api;
mod builtin;
mod fault;
mod request;
pub mod samples;
mod server;
mod shared;
mod state;
mod status;
mod store;
mod time;
pub mod usage;
mod vision;
mod w3c;
mod wire;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clarifai_typed::Scope;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

pub use fault::Fault;
pub use usage::{KeyUsage, UsageReport};

use fault::ConnKill;
use shared::{Config, Shared, lock};
use state::{KeyRec, KeyType, State, close_scopes, random_id};

/// What the emulator does when a key lacks a depending scope that is not a gate scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Succeed, with the response parts that scope guards removed (the documented behaviour).
    #[default]
    Redact,
    /// Reject with 11007, naming every missing depending scope (what today's protos imply).
    Strict,
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Mode, String> {
        match s {
            "redact" => Ok(Mode::Redact),
            "strict" => Ok(Mode::Strict),
            other => Err(format!(
                "unknown mode '{other}' (expected redact or strict)"
            )),
        }
    }
}

/// What can go wrong starting the emulator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// Binding or serving failed.
    #[error("network error: {0}")]
    Io(#[from] std::io::Error),
    /// The state file cannot be used: it is not the emulator's (it is left untouched), it cannot
    /// be created or written, or another emulator holds it. The message says what to do.
    #[error("the state file {path} {message}")]
    StateFile {
        /// The file.
        path: PathBuf,
        /// What is wrong, and what to do.
        message: String,
    },
    /// A key given to the builder is unusable.
    #[error("invalid key: {0}")]
    InvalidKey(String),
}

/// Entry point: [`Emulator::builder`].
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder with the defaults: redact mode, no rate limit, user `me`, app `main`, listening
    /// on `127.0.0.1:0` (a free port).
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            mode: Mode::Redact,
            rate: None,
            user: "me".into(),
            app: "main".into(),
            keys: Vec::new(),
            pats: Vec::new(),
            state_file: None,
            allow_remote_urls: false,
            fetch_timeout: Duration::from_secs(10),
            hosting_url: None,
        }
    }
}

/// Configures and starts an emulator.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    listen: SocketAddr,
    mode: Mode,
    rate: Option<u32>,
    user: String,
    app: String,
    keys: Vec<(String, Vec<Scope>)>,
    pats: Vec<String>,
    state_file: Option<PathBuf>,
    allow_remote_urls: bool,
    fetch_timeout: Duration,
    hosting_url: Option<String>,
}

impl EmulatorBuilder {
    /// The address to listen on (default `127.0.0.1:0`).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Redact (default) or strict.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Allows each key this many requests per second; more get 11005 / HTTP 429.
    pub fn rate(mut self, per_second: u32) -> Self {
        self.rate = Some(per_second);
        self
    }

    /// The default user's id (default `me`).
    pub fn user(mut self, id: impl Into<String>) -> Self {
        self.user = id.into();
        self
    }

    /// The default app's id (default `main`).
    pub fn app(mut self, id: impl Into<String>) -> Self {
        self.app = id.into();
        self
    }

    /// Adds an app key for the default app with a given secret.
    pub fn key(mut self, secret: impl Into<String>, scopes: &[Scope]) -> Self {
        self.keys.push((secret.into(), scopes.to_vec()));
        self
    }

    /// Adds a personal access token (all scopes) for the default user with a given secret.
    pub fn pat(mut self, secret: impl Into<String>) -> Self {
        self.pats.push(secret.into());
        self
    }

    /// Keeps the state in the SQLite database at `path`: loaded at start (created, mode 0600,
    /// when missing or empty), each change written before it is answered. [`start`](Self::start)
    /// fails with [`EmulatorError::StateFile`] when the file is not an emulator state (it is
    /// left untouched), cannot be written, or is held by another emulator. See "State file" in
    /// the crate docs.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Lets the emulator fetch image URLs from hosts outside the loopback range (off by default:
    /// such URLs fail as a per-input 30002).
    pub fn allow_remote_urls(mut self, allow: bool) -> Self {
        self.allow_remote_urls = allow;
        self
    }

    /// How long an image download may take (default 10 s).
    pub fn fetch_timeout(mut self, timeout: Duration) -> Self {
        self.fetch_timeout = timeout;
        self
    }

    /// The base URL of the hosted copies of inputs (their `hosted.prefix`, and the `url` of an
    /// image uploaded as bytes): by default the emulator's own base URL. The emulator serves
    /// them under this URL's path, whatever host it names: give the URL clients should see
    /// (a proxy in front of the emulator, or the URL a legacy client expects).
    pub fn hosting_url(mut self, url: impl Into<String>) -> Self {
        self.hosting_url = Some(url.into().trim_end_matches('/').to_string());
        self
    }

    /// Binds the address and starts serving in the background (on the current tokio runtime).
    pub async fn start(self) -> Result<RunningEmulator, EmulatorError> {
        for (secret, _) in &self.keys {
            check_secret(secret)?;
        }
        for secret in &self.pats {
            check_secret(secret)?;
        }
        let state_error = |path: &PathBuf, message: String| EmulatorError::StateFile {
            path: path.clone(),
            message,
        };
        let (mut state, store) = match &self.state_file {
            Some(path) => {
                let (conn, mut state) = store::open(path).map_err(|m| state_error(path, m))?;
                state.ensure_input_annotations();
                let store = store::Store::start(conn, path.clone())?;
                (state, Some(store))
            }
            None => (State::default(), None),
        };
        state.ensure_app(&self.user, &self.app);
        for (secret, scopes) in &self.keys {
            let key = new_key(
                secret,
                KeyType::AppSpecificKey,
                &self.user,
                Some(&self.app),
                scopes,
            );
            state.keys.insert(secret.clone(), key);
        }
        for secret in &self.pats {
            let all = [Scope::of::<clarifai_typed::scope::All>()];
            let key = new_key(secret, KeyType::PersonalAccessToken, &self.user, None, &all);
            state.keys.insert(secret.clone(), key);
        }
        // Bound before the state is shared: the hosting URL defaults to the address.
        let bound = match TcpListener::bind(self.listen).await {
            Ok(l) => l.local_addr().map(|a| (l, a)),
            Err(e) => Err(e),
        };
        let (listener, addr) = match bound {
            Ok(b) => b,
            Err(e) => {
                if let Some(store) = &store {
                    store.close();
                }
                return Err(e.into());
            }
        };
        let config = Config {
            mode: self.mode,
            rate: self.rate,
            allow_remote_urls: self.allow_remote_urls,
            fetch_timeout: self.fetch_timeout,
            hosting_url: self
                .hosting_url
                .clone()
                .unwrap_or_else(|| format!("http://{addr}")),
        };
        let shared = Arc::new(Shared::new(state, config, store));
        // The keys and app given here are in the file before the first request is served.
        if let (Some(path), Err(message)) = (&self.state_file, shared.persist().await) {
            shared.close_store();
            return Err(state_error(path, message));
        }
        // Inputs that were still being processed when the last run stopped.
        api::resume_processing(&shared);
        let router = server::router(shared.clone())
            .layer(axum::middleware::from_fn_with_state(
                shared.clone(),
                fault::inject,
            ))
            .layer(axum::middleware::from_fn(server::cors));
        let (stop, stop_rx) = watch::channel(false);
        let task = tokio::spawn(serve(listener, router, stop_rx));
        Ok(RunningEmulator {
            addr,
            user: self.user,
            app: self.app,
            shared,
            stop,
            task: Some(task),
        })
    }
}

fn check_secret(secret: &str) -> Result<(), EmulatorError> {
    clarifai_typed::check_secret(secret).map_err(|e| EmulatorError::InvalidKey(e.to_string()))
}

fn new_key(
    secret: &str,
    key_type: KeyType,
    user: &str,
    app: Option<&str>,
    scopes: &[Scope],
) -> KeyRec {
    KeyRec {
        id: secret.into(),
        key_type,
        user_id: user.into(),
        app_id: app.map(Into::into),
        description: String::new(),
        scopes: close_scopes(scopes),
        created_at: time::now(),
        expires_at: None,
        endpoints: Vec::new(),
    }
}

async fn serve(listener: TcpListener, router: axum::Router, mut stop: watch::Receiver<bool>) {
    loop {
        let accepted = tokio::select! {
            _ = stop.changed() => return,
            a = listener.accept() => a,
        };
        let Ok((stream, _)) = accepted else {
            // Out of file descriptors and the like: wait a little and go on.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        // Answers go out as written (no Nagle delay behind a client's delayed ACK), as HTTP
        // servers usually set; a socket that refuses is served anyway.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let conn_kill = kill.clone();
            let service = hyper::service::service_fn(
                move |mut req: hyper::Request<hyper::body::Incoming>| {
                    server::strip_trailing_slash(&mut req);
                    req.extensions_mut().insert(ConnKill(conn_kill.clone()));
                    tower::ServiceExt::oneshot(router.clone(), req)
                },
            );
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = kill.notified() => {}
                _ = stop.changed() => {}
            }
        });
    }
}

/// A running emulator. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    user: String,
    app: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl RunningEmulator {
    /// `http://127.0.0.1:PORT`, the base URL for a client (paths start with `/v2`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The default user's id.
    pub fn user_id(&self) -> &str {
        &self.user
    }

    /// The default app's id.
    pub fn app_id(&self) -> &str {
        &self.app
    }

    /// Creates an app key for the default app with `scopes` (closed over their dependencies, plus
    /// `Apps:Get`) and returns its secret: 32 random lowercase hex digits.
    pub fn create_key(&self, scopes: &[Scope]) -> String {
        self.create_key_for(&self.app.clone(), scopes)
    }

    /// Creates an app key for the default user's app `app` (created if missing).
    pub fn create_key_for(&self, app: &str, scopes: &[Scope]) -> String {
        let secret = random_id();
        {
            let mut state = lock(&self.shared.state);
            state.ensure_app(&self.user, app);
            let key = new_key(
                &secret,
                KeyType::AppSpecificKey,
                &self.user,
                Some(app),
                scopes,
            );
            state.keys.insert(secret.clone(), key);
        }
        self.flush();
        secret
    }

    /// A client of key type `K` for this emulator, in one call: makes a key holding exactly `K`'s
    /// scopes (an app key for the default app; for [`PatKey`](clarifai_typed::PatKey), a personal
    /// access token with every scope, and a client addressing the default user and app).
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use clarifai_typed::scoped_key;
    ///
    /// #[scoped_key(Predict, AddInputs)]
    /// pub struct AppKey;
    ///
    /// let emu = clarifai_emulator::Emulator::builder().start().await?;
    /// let client = emu.client::<AppKey>()?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`](clarifai_typed::ClientBuilder::build).
    pub fn client<K: clarifai_typed::Key>(
        &self,
    ) -> Result<clarifai_typed::Client<K>, clarifai_typed::Error> {
        let pat = std::any::TypeId::of::<K>() == std::any::TypeId::of::<clarifai_typed::PatKey>();
        let secret = if pat {
            self.create_pat()
        } else {
            self.create_key(K::SCOPES)
        };
        // The usage report names the key by its key type.
        if let Some(key) = lock(&self.shared.state).keys.get_mut(&secret) {
            key.description = K::NAME.to_owned();
        }
        let key =
            K::from_secret(secret).map_err(|e| clarifai_typed::Error::Usage(e.to_string()))?;
        let builder = clarifai_typed::Client::builder(key).base_url(self.base_url());
        if pat {
            builder
                .user_app(self.user.clone(), self.app.clone())
                .build()
        } else {
            builder.build()
        }
    }

    /// The scope usage report: per key, every RPC called and the scopes each call exercised,
    /// the smallest `#[scoped_key(...)]` declaration covering them, and the granted scopes never
    /// used. See [`usage`].
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use clarifai_typed::scoped_key;
    ///
    /// #[scoped_key(Predict, DeleteInputs)]
    /// pub struct AppKey;
    ///
    /// let emu = clarifai_emulator::Emulator::builder().start().await?;
    /// let client = emu.client::<AppKey>()?;
    /// client.predict("color-recognition").await.ok();
    /// let usage = emu.usage_report().for_key_type::<AppKey>().unwrap();
    /// println!("{}", usage.declaration("AppKey")); // #[scoped_key(Predict)] ...
    /// assert!(!usage.unused_by::<AppKey>().is_empty()); // DeleteInputs, AddInputs, GetInputs
    /// # Ok(()) }
    /// ```
    pub fn usage_report(&self) -> UsageReport {
        lock(&self.shared.usage).report()
    }

    /// Forgets every call the usage report has seen.
    pub fn reset_usage(&self) {
        lock(&self.shared.usage).clear();
    }

    /// A client of key type `K` for this emulator with a key it already holds (made by
    /// [`create_key`](Self::create_key), given to the builder, or created through the API): for
    /// a key whose scopes differ from `K`'s, or an [`UnverifiedKey`](clarifai_typed::UnverifiedKey).
    /// [`client`](Self::client) makes the key too.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`](clarifai_typed::Error::Usage) when the secret cannot be a key; as
    /// [`ClientBuilder::build`](clarifai_typed::ClientBuilder::build).
    pub fn client_with<K: clarifai_typed::Key>(
        &self,
        secret: impl Into<String>,
    ) -> Result<clarifai_typed::Client<K>, clarifai_typed::Error> {
        let key =
            K::from_secret(secret).map_err(|e| clarifai_typed::Error::Usage(e.to_string()))?;
        clarifai_typed::Client::builder(key)
            .base_url(self.base_url())
            .build()
    }

    /// Creates a personal access token for the default user with every scope.
    pub fn create_pat(&self) -> String {
        self.create_pat_with(&[Scope::of::<clarifai_typed::scope::All>()])
    }

    /// Creates a personal access token for the default user holding exactly `scopes` (closed
    /// over their dependencies).
    pub fn create_pat_with(&self, scopes: &[Scope]) -> String {
        let secret = random_id();
        {
            let mut state = lock(&self.shared.state);
            let key = new_key(
                &secret,
                KeyType::PersonalAccessToken,
                &self.user,
                None,
                scopes,
            );
            state.keys.insert(secret.clone(), key);
        }
        self.flush();
        secret
    }

    /// Sets an expiry time (RFC 3339) on a key; `None` removes it. Returns whether the key exists.
    pub fn set_key_expiry(&self, secret: &str, expires_at: Option<&str>) -> bool {
        let found = {
            let mut state = lock(&self.shared.state);
            match state.keys.get_mut(secret) {
                Some(k) => {
                    k.expires_at = expires_at.map(Into::into);
                    true
                }
                None => false,
            }
        };
        self.flush();
        found
    }

    /// Creates an app for the default user (no-op if it exists).
    pub fn create_app(&self, app: &str) {
        lock(&self.shared.state).ensure_app(&self.user, app);
        self.flush();
    }

    /// Switches between redact and strict mode.
    pub fn set_mode(&self, mode: Mode) {
        lock(&self.shared.config).mode = mode;
    }

    /// Sets (or with `None` removes) the per-key rate limit, in requests per second.
    pub fn set_rate(&self, per_second: Option<u32>) {
        lock(&self.shared.config).rate = per_second;
        lock(&self.shared.rate).clear();
    }

    /// Makes each of the next `n` requests fail with `fault` (queued after faults already
    /// queued).
    pub fn fail_next(&self, n: usize, fault: Fault) {
        lock(&self.shared.faults).push_next(n, fault);
    }

    /// Makes a share `probability` (0..1) of requests fail with `fault`, drawn from a generator
    /// seeded with `seed`: the same seed and request sequence fail the same requests.
    pub fn fail_share(&self, probability: f64, seed: u64, fault: Fault) {
        lock(&self.shared.faults).set_share(probability, seed, vec![fault]);
    }

    /// Makes a share `probability` (0..1) of requests fail, each with one of `faults` drawn with
    /// equal chance, from a generator seeded with `seed` (reproducible like
    /// [`fail_share`](Self::fail_share)).
    pub fn fail_share_mixed(&self, probability: f64, seed: u64, faults: &[Fault]) {
        lock(&self.shared.faults).set_share(probability, seed, faults.to_vec());
    }

    /// Removes every planned fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Waits until every input added so far has been processed (30000 or 30002), every model
    /// version queued so far has been trained (21100 or 21110), every evaluation queued so far
    /// has finished (21300 or 21315) and every dataset version made so far processed (64015)
    /// and, with a state file, their results written there.
    pub async fn wait_idle(&self) {
        let mut rx = self.shared.pending.subscribe();
        let _ = rx.wait_for(|n| *n == 0).await;
        let mut rx = self.shared.training.subscribe();
        let _ = rx.wait_for(|n| *n == 0).await;
        let mut rx = self.shared.background.subscribe();
        let _ = rx.wait_for(|n| *n == 0).await;
    }

    /// Hands changes made through these methods to the state file's writer (not waiting: the
    /// writer keeps their order, and [`shutdown`](Self::shutdown) or dropping the emulator
    /// waits for it).
    fn flush(&self) {
        if let Err(e) = self.shared.flush() {
            eprintln!("clarifai-emulator: {e}");
        }
    }

    /// Stops the server, waits for the accept loop to end, then writes what is queued for the
    /// state file and closes it (so another emulator may open it).
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        let shared = self.shared.clone();
        let _ = tokio::task::spawn_blocking(move || shared.close_store()).await;
    }
}

impl Drop for RunningEmulator {
    /// Stops the server; writes what is queued for the state file and closes it (blocking
    /// until done).
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        self.shared.close_store();
    }
}
