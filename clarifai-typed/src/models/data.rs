//! `Data`: what an input holds and what a model outputs (media, concepts, metadata, regions ...).

use serde::{Deserialize, Serialize};

use super::common::{Bytes, JsonMap, is_false, is_zero_f32, is_zero_u32};
use super::concept::Concept;
use crate::redacted::{Redacted, redactable};

/// The payload of an input, an output, a region, a frame or an annotation (`Data`).
///
/// `concepts` is [`Redacted`]: the server blanks it when the key lacks `Concepts:Get`.
///
/// The media (`image`, `video`, `text`, `audio`) and `geo` are boxed: an output rarely holds
/// them, and inline they made every `Data`, and so every output, region and frame, 350 bytes
/// larger.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Data {
    /// An image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Box<Image>>,
    /// A video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<Box<Video>>,
    /// A text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Box<Text>>,
    /// An audio clip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio: Option<Box<Audio>>,
    /// Concepts: labels of an input, predictions of an output.
    #[serde(skip_serializing_if = "Redacted::is_omitted")]
    pub concepts: Redacted<Vec<Concept>>,
    /// Free-form metadata (a JSON object).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<JsonMap>,
    /// A geographic point (and, in searches, a limit around it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geo: Option<Box<Geo>>,
    /// Regions of an image (detections, faces).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
    /// Frames of a video.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frames: Vec<Frame>,
    /// Embedding vectors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embeddings: Vec<Embedding>,
    /// Dominant colours.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub colors: Vec<Color>,
    /// Fields this version does not model (e.g. the deprecated `face`), kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Data {
    /// Data holding an image at a URL.
    pub fn image_url(url: impl Into<String>) -> Data {
        Data {
            image: Some(Box::new(Image::from_url(url))),
            ..Data::default()
        }
    }

    /// Data holding image bytes.
    pub fn image_bytes(bytes: impl Into<Bytes>) -> Data {
        Data {
            image: Some(Box::new(Image::from_bytes(bytes))),
            ..Data::default()
        }
    }

    /// Sets the concepts.
    pub fn with_concepts(mut self, concepts: impl IntoIterator<Item = Concept>) -> Data {
        self.concepts = Redacted::Visible(concepts.into_iter().collect());
        self
    }

    /// Sets the metadata.
    pub fn with_metadata(mut self, metadata: JsonMap) -> Data {
        self.metadata = Some(metadata);
        self
    }

    /// Sets the geographic point.
    pub fn with_geo_point(mut self, longitude: f32, latitude: f32) -> Data {
        self.geo = Some(Box::new(Geo::point(longitude, latitude)));
        self
    }
}

/// An image, by URL or bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Image {
    /// Where the server downloads it from.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// The image bytes (base64 on the wire).
    #[serde(skip_serializing_if = "Bytes::is_empty")]
    pub base64: Bytes,
    /// Accept a URL already added to the app.
    #[serde(skip_serializing_if = "is_false")]
    pub allow_duplicate_url: bool,
    /// Where the server hosts its copies of the image (answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hosted: Option<HostedUrl>,
    /// Fields this version does not model (`image_info` ...), kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Image {
    /// An image at a URL.
    pub fn from_url(url: impl Into<String>) -> Image {
        Image {
            url: url.into(),
            ..Image::default()
        }
    }

    /// An image given as bytes.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Image {
        Image {
            base64: bytes.into(),
            ..Image::default()
        }
    }
}

/// A video, by URL or bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Video {
    /// Where the server downloads it from.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// The video bytes (base64 on the wire).
    #[serde(skip_serializing_if = "Bytes::is_empty")]
    pub base64: Bytes,
    /// Accept a URL already added to the app.
    #[serde(skip_serializing_if = "is_false")]
    pub allow_duplicate_url: bool,
    /// Where the server hosts its copies of the video (answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hosted: Option<HostedUrl>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// The server's copies of an input's media (`HostedURL`): the copy of size `s` is at
/// `{prefix}/{s}/{suffix}`, fetched with the key (`Authorization: Key …`).
///
/// ```
/// # use clarifai_typed::models::HostedUrl;
/// let hosted: HostedUrl = serde_json::from_str(
///     r#"{"prefix": "https://data.clarifai.com", "suffix": "users/me/apps/main/inputs/image/a1",
///         "sizes": ["orig", "tiny"]}"#,
/// ).unwrap();
/// assert_eq!(
///     hosted.url("tiny").as_deref(),
///     Some("https://data.clarifai.com/tiny/users/me/apps/main/inputs/image/a1")
/// );
/// assert_eq!(hosted.url("large"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct HostedUrl {
    /// The start of every copy's URL.
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub prefix: String,
    /// The end of every copy's URL.
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub suffix: String,
    /// The sizes hosted (`orig`, `tiny`, `small`, `large`; a video's `orig`, `thumbnail`).
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub sizes: Vec<String>,
    /// The `crossorigin` a web page's `<img>` needs to load a copy.
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub crossorigin: String,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl HostedUrl {
    /// The URL of the copy of `size`, if that size is hosted.
    pub fn url(&self, size: &str) -> Option<String> {
        self.sizes
            .iter()
            .any(|s| s == size)
            .then(|| format!("{}/{size}/{}", self.prefix, self.suffix))
    }
}

impl Video {
    /// A video at a URL.
    pub fn from_url(url: impl Into<String>) -> Video {
        Video {
            url: url.into(),
            ..Video::default()
        }
    }
}

/// A text, inline or by URL.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Text {
    /// The text itself.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub raw: String,
    /// Where the server downloads it from.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// Accept a URL already added to the app.
    #[serde(skip_serializing_if = "is_false")]
    pub allow_duplicate_url: bool,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Text {
    /// An inline text.
    pub fn raw(text: impl Into<String>) -> Text {
        Text {
            raw: text.into(),
            ..Text::default()
        }
    }
}

/// An audio clip, by URL or bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Audio {
    /// Where the server downloads it from.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// The audio bytes (base64 on the wire).
    #[serde(skip_serializing_if = "Bytes::is_empty")]
    pub base64: Bytes,
    /// Accept a URL already added to the app.
    #[serde(skip_serializing_if = "is_false")]
    pub allow_duplicate_url: bool,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A geographic point, and in searches a limit around it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Geo {
    /// The point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geo_point: Option<GeoPoint>,
    /// The search radius around the point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geo_limit: Option<GeoLimit>,
    /// Fields this version does not model (`geo_box`), kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Geo {
    /// A point.
    pub fn point(longitude: f32, latitude: f32) -> Geo {
        Geo {
            geo_point: Some(GeoPoint {
                longitude,
                latitude,
            }),
            ..Geo::default()
        }
    }

    /// Sets the search limit.
    pub fn within(mut self, kind: impl Into<String>, value: f32) -> Geo {
        self.geo_limit = Some(GeoLimit {
            r#type: kind.into(),
            value,
        });
        self
    }
}

/// Longitude and latitude in degrees.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct GeoPoint {
    /// Longitude in degrees.
    #[serde(
        skip_serializing_if = "is_zero_f32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub longitude: f32,
    /// Latitude in degrees.
    #[serde(
        skip_serializing_if = "is_zero_f32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub latitude: f32,
}

impl GeoPoint {
    /// A point.
    pub fn new(longitude: f32, latitude: f32) -> GeoPoint {
        GeoPoint {
            longitude,
            latitude,
        }
    }
}

/// A search radius: `type` is `withinMiles`, `withinKilometers`, `withinRadians` or
/// `withinDegrees`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct GeoLimit {
    /// The unit (`withinKilometers` ...).
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub r#type: String,
    /// The radius.
    #[serde(
        skip_serializing_if = "is_zero_f32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub value: f32,
}

/// A region of an image: where it is and what is in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Region {
    /// The region's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Where the region is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_info: Option<RegionInfo>,
    /// What is in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Data>,
    /// The detection's confidence.
    #[serde(skip_serializing_if = "is_zero_f32")]
    pub value: f32,
    /// A track id across video frames.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub track_id: String,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Where a region is.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RegionInfo {
    /// The bounding box.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounding_box: Option<BoundingBox>,
    /// Fields this version does not model (`mask`, `polygon`, `point` ...), kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl RegionInfo {
    /// A region given by its bounding box.
    pub fn bounding_box(bounding_box: BoundingBox) -> RegionInfo {
        RegionInfo {
            bounding_box: Some(bounding_box),
            ..RegionInfo::default()
        }
    }
}

/// A box, as fractions of the image's height (rows) and width (columns), from its top left corner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BoundingBox {
    /// Top edge, from 0 (top) to 1.
    #[serde(
        skip_serializing_if = "is_zero_f32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub top_row: f32,
    /// Left edge, from 0 (left) to 1.
    #[serde(
        skip_serializing_if = "is_zero_f32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub left_col: f32,
    /// Bottom edge.
    #[serde(
        skip_serializing_if = "is_zero_f32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub bottom_row: f32,
    /// Right edge.
    #[serde(
        skip_serializing_if = "is_zero_f32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub right_col: f32,
}

impl BoundingBox {
    /// A box from its edges.
    pub fn new(top_row: f32, left_col: f32, bottom_row: f32, right_col: f32) -> BoundingBox {
        BoundingBox {
            top_row,
            left_col,
            bottom_row,
            right_col,
        }
    }
}

/// A frame of a video and what is in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Frame {
    /// The frame's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Where the frame is in the video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame_info: Option<FrameInfo>,
    /// What is in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Data>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Where a frame is in its video.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FrameInfo {
    /// The frame's index among the sampled frames.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub index: u32,
    /// Milliseconds from the start.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub time: u32,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// An embedding vector.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Embedding {
    /// The vector.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vector: Vec<f32>,
    /// Its length.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub num_dimensions: u32,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Embedding {
    /// An embedding of `vector`, with its length filled in.
    pub fn new(vector: Vec<f32>) -> Embedding {
        Embedding {
            num_dimensions: u32::try_from(vector.len()).unwrap_or(u32::MAX),
            vector,
            ..Embedding::default()
        }
    }
}

/// A dominant colour and its share of the image.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Color {
    /// The colour as found (`#686078`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub raw_hex: String,
    /// The nearest named W3C colour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub w3c: Option<W3cColor>,
    /// Its share of the image, from 0 to 1.
    #[serde(skip_serializing_if = "is_zero_f32")]
    pub value: f32,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A named W3C colour.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct W3cColor {
    /// Its hex code (`#708090`).
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub hex: String,
    /// Its name (`SlateGray`).
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub name: String,
}

redactable! {
    Data { concepts, regions, frames }
    Region { data }
    Frame { data }
}

super::fields::decode_fields! {
    Data { image, video, text, audio, concepts, metadata, geo, regions, frames, embeddings, colors }
    Image { url, base64, allow_duplicate_url, hosted }
    Video { url, base64, allow_duplicate_url, hosted }
    Text { raw, url, allow_duplicate_url }
    Audio { url, base64, allow_duplicate_url }
    Geo { geo_point, geo_limit }
    Region { id, region_info, data, value, track_id }
    RegionInfo { bounding_box }
    Frame { id, frame_info, data }
    FrameInfo { index, time }
    Embedding { vector, num_dimensions }
    Color { raw_hex, w3c, value }
}
