//! Image features behind the built-in models: decoding, dominant colours, an embedding and the
//! concepts of the general model. Everything is a pure function of the pixels.

use image::imageops::FilterType;
use serde::{Deserialize, Serialize};

use crate::w3c;

/// Images are reduced to at most this many pixels a side before any feature is computed.
const SIDE: u32 = 64;
/// Length of the embedding: 64 colour-histogram bins, a 4×4 grid of mean colours (48) and a 4×4
/// grid of edge strength (16).
#[cfg(test)]
pub(crate) const EMBEDDING_DIMS: usize = 128;

/// One dominant colour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ColorHit {
    /// Mean of the pixels nearest to this named colour.
    pub(crate) raw: [u8; 3],
    /// Index into [`w3c::COLORS`].
    pub(crate) w3c: usize,
    /// Share of the image, 0..1.
    pub(crate) value: f32,
}

/// What the built-in models read from an image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Features {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) format: String,
    pub(crate) colors: Vec<ColorHit>,
    pub(crate) embedding: Vec<f32>,
    /// `(concept name, value)`, highest first.
    pub(crate) concepts: Vec<(String, f32)>,
    /// The detection model's regions, densest first (absent from state files written before
    /// detection existed).
    #[serde(default)]
    pub(crate) regions: Vec<RegionHit>,
    /// Measurements of the whole image that the catalogue's concept models read (the fields
    /// below are absent from state files written before the catalogue grew: they then read 0).
    #[serde(default)]
    pub(crate) attributes: Attributes,
    /// Skin-coloured blobs, largest first: the face models' regions.
    #[serde(default)]
    pub(crate) faces: Vec<Blob>,
    /// Saturated compact blobs, largest first: the logo model's regions.
    #[serde(default)]
    pub(crate) marks: Vec<Blob>,
    /// Sharpness: the focus model's output.
    #[serde(default)]
    pub(crate) focus: Focus,
}

/// Measurements of a whole image, each in 0..1.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Attributes {
    /// Share of the pixels of each colour word, in the order of [`COLOR_WORDS`].
    pub(crate) words: Vec<f32>,
    /// Mean HSV value.
    pub(crate) brightness: f32,
    /// Mean HSV saturation.
    pub(crate) saturation: f32,
    /// Mean luminance gradient, scaled (5× the mean, at most 1).
    pub(crate) texture: f32,
    /// Standard deviation of the luminance, doubled (at most 1).
    pub(crate) contrast: f32,
    /// Share of skin-coloured pixels (the RGB rule of Kovač, Peer and Solina, 2003).
    pub(crate) skin: f32,
    /// Share of the gradient that runs up and down (horizontal edges, stripes lying down).
    pub(crate) horizontal: f32,
}

/// One attribute of [`Attributes`], as the catalogue's concept models name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attr {
    /// The share of one colour word (an index into [`COLOR_WORDS`]).
    Word(usize),
    Bright,
    Dark,
    Saturated,
    Muted,
    Textured,
    Smooth,
    Contrast,
    Skin,
    Horizontal,
    Vertical,
}

impl Attributes {
    /// The value of `a`, 0..1.
    pub(crate) fn get(&self, a: Attr) -> f32 {
        match a {
            Attr::Word(i) => self.words.get(i).copied().unwrap_or(0.0),
            Attr::Bright => self.brightness,
            Attr::Dark => 1.0 - self.brightness,
            Attr::Saturated => self.saturation,
            Attr::Muted => 1.0 - self.saturation,
            Attr::Textured => self.texture,
            Attr::Smooth => 1.0 - self.texture,
            Attr::Contrast => self.contrast,
            Attr::Skin => self.skin,
            Attr::Horizontal => self.horizontal,
            Attr::Vertical => 1.0 - self.horizontal,
        }
    }
}

/// A connected area of pixels that pass a test (skin colour, saturated colour).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Blob {
    /// `[top_row, left_col, bottom_row, right_col]`, fractions of the image.
    pub(crate) bbox: [f32; 4],
    /// The share of its box the blob fills, 0..1.
    pub(crate) density: f32,
    /// Width over height of its box (in pixels of the image).
    pub(crate) aspect: f32,
    /// The embedding of the image cropped to its box (same recipe as the image's).
    pub(crate) embedding: Vec<f32>,
}

/// How sharp an image is, and where.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Focus {
    /// Overall sharpness, 0..1.
    pub(crate) value: f32,
    /// Share of the 4×4 cells at least as sharp as the sharpest cell's half.
    pub(crate) density: f32,
    /// The box of those cells, `[top_row, left_col, bottom_row, right_col]`.
    pub(crate) bbox: [f32; 4],
    /// Mean sharpness inside the box, 0..1.
    pub(crate) region_value: f32,
}

/// A region the detection model finds: where one colour word lies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RegionHit {
    /// The colour word (`red`, `blue`, ...).
    pub(crate) concept: String,
    /// How densely the word fills its box, 0..1.
    pub(crate) value: f32,
    /// `[top_row, left_col, bottom_row, right_col]`, fractions of the image.
    pub(crate) bbox: [f32; 4],
}

/// The detection model's vocabulary: the colour words of [`GENERAL_CONCEPTS`].
pub(crate) const COLOR_WORDS: &[&str] = GENERAL_CONCEPTS.split_at(12).0;

/// The general model's vocabulary.
pub(crate) const GENERAL_CONCEPTS: &[&str] = &[
    "red",
    "orange",
    "yellow",
    "green",
    "cyan",
    "blue",
    "purple",
    "pink",
    "brown",
    "black",
    "white",
    "gray",
    "bright",
    "dark",
    "colorful",
    "monochrome",
    "textured",
    "smooth",
];

/// The most pixels an image may have: its header is read first, and a larger image is refused
/// before anything is decoded (a small file can declare a huge image). 25 megapixels covers
/// common cameras (6000×4000).
pub(crate) const MAX_PIXELS: u64 = 25_000_000;
/// The most memory one decode may allocate.
const MAX_DECODE_ALLOC: u64 = 512 * 1024 * 1024;

const FORMATS: &str = "PNG, JPEG, GIF, BMP and TIFF";

/// The most pixels an image may have to be decoded on an async task rather than on the blocking
/// pool: 128×128, a decode and analysis of well under a millisecond.
const INLINE_PIXELS: u64 = 128 * 128;

/// The format of `bytes`, if the emulator decodes it, and its name.
fn format_of(bytes: &[u8]) -> Result<(image::ImageFormat, &'static str), String> {
    let unsupported = || format!("unsupported image format (the emulator decodes {FORMATS})");
    let format = image::guess_format(bytes).map_err(|_| unsupported())?;
    let name = match format {
        image::ImageFormat::Png => "PNG",
        image::ImageFormat::Jpeg => "JPEG",
        image::ImageFormat::Gif => "GIF",
        image::ImageFormat::Bmp => "BMP",
        image::ImageFormat::Tiff => "TIFF",
        _ => return Err(unsupported()),
    };
    Ok((format, name))
}

/// Analyses `bytes` when the image is small (at most [`INLINE_PIXELS`] by its header), with one
/// decoder for the header and the pixels: `None` for a larger image, which [`analyse`] reads on
/// the blocking pool.
pub(crate) fn analyse_if_small(bytes: &[u8]) -> Option<Result<Features, String>> {
    use image::ImageDecoder as _;
    let (format, format_name) = match format_of(bytes) {
        Ok(found) => found,
        Err(e) => return Some(Err(e)),
    };
    let decoder = match reader(bytes, format).into_decoder() {
        Ok(decoder) => decoder,
        Err(e) => return Some(Err(format!("could not read the image's header: {e}"))),
    };
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > INLINE_PIXELS {
        return None;
    }
    // For an animated GIF this is its first frame.
    Some(
        image::DynamicImage::from_decoder(decoder)
            .map_err(|e| format!("could not decode the image: {e}"))
            .and_then(|img| features(&img, format_name)),
    )
}

/// A reader of `bytes` as `format`, with the decoding allocation limit.
fn reader(bytes: &[u8], format: image::ImageFormat) -> image::ImageReader<std::io::Cursor<&[u8]>> {
    let mut r = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    r.limits(limits);
    r
}

/// Decodes an image (PNG, JPEG, GIF's first frame, BMP, TIFF) and computes every feature. The
/// dimensions in the header are checked against [`MAX_PIXELS`] before decoding.
pub(crate) fn analyse(bytes: &[u8]) -> Result<Features, String> {
    let (format, format_name) = format_of(bytes)?;
    let (width, height) = reader(bytes, format)
        .into_dimensions()
        .map_err(|e| format!("could not read the image's header: {e}"))?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "the image is {width}×{height} pixels, more than the {MAX_PIXELS} the emulator decodes"
        ));
    }
    // For an animated GIF this is its first frame.
    let img = reader(bytes, format)
        .decode()
        .map_err(|e| format!("could not decode the image: {e}"))?;
    features(&img, format_name)
}

/// One sampled frame of a video.
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    /// Which sample it is (0, 1, ...).
    pub(crate) index: u32,
    /// Milliseconds from the start: the middle of the interval the sample stands for.
    pub(crate) time: u64,
    pub(crate) features: Features,
}

/// The most samples one video gives (at the default `sample_ms`, 1000, the first 100 seconds).
pub(crate) const MAX_SAMPLES: u64 = 100;
/// The most frames of an animated GIF that are read.
const MAX_GIF_FRAMES: usize = 1000;

/// Reads a video: an animated GIF, sampled every `sample_ms` milliseconds (each sample is the
/// frame shown at the middle of its interval, the last interval ending with the animation), or a
/// still image (PNG, JPEG, BMP, TIFF, a one-frame GIF) as one frame at time 0. No video codec
/// (MP4, WebM ...) is decoded.
pub(crate) fn analyse_video(bytes: &[u8], sample_ms: u64) -> Result<Vec<Frame>, String> {
    use image::AnimationDecoder;
    let sample_ms = sample_ms.max(1);
    if image::guess_format(bytes).ok() != Some(image::ImageFormat::Gif) {
        let features = analyse(bytes).map_err(|e| {
            format!("{e} (the emulator reads a video when its bytes are an animated GIF or a still image; it decodes no video codec)")
        })?;
        return Ok(vec![Frame {
            index: 0,
            time: 0,
            features,
        }]);
    }
    // Checks the header (size) like any image.
    let first = analyse(bytes)?;
    let decoder = || -> Result<image::codecs::gif::GifDecoder<std::io::Cursor<&[u8]>>, String> {
        let mut d = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(bytes))
            .map_err(|e| format!("could not decode the GIF: {e}"))?;
        let mut limits = image::Limits::default();
        limits.max_alloc = Some(MAX_DECODE_ALLOC);
        image::ImageDecoder::set_limits(&mut d, limits)
            .map_err(|e| format!("could not decode the GIF: {e}"))?;
        Ok(d)
    };
    // A GIF frame's delay of 0 is shown for 100 ms (as browsers do).
    let delay_of = |f: &image::Frame| {
        let (n, d) = f.delay().numer_denom_ms();
        match u64::from(n) / u64::from(d.max(1)) {
            0 => 100,
            ms => ms,
        }
    };
    // First pass: the delays, hence the length of the animation.
    let mut delays = Vec::new();
    for frame in decoder()?.into_frames().take(MAX_GIF_FRAMES) {
        let frame = frame.map_err(|e| format!("could not decode the GIF: {e}"))?;
        delays.push(delay_of(&frame));
    }
    let length: u64 = delays.iter().sum();
    if delays.len() <= 1 || length == 0 {
        return Ok(vec![Frame {
            index: 0,
            time: 0,
            features: first,
        }]);
    }
    let samples = length.div_ceil(sample_ms).min(MAX_SAMPLES);
    let times: Vec<u64> = (0..samples)
        .map(|k| (k * sample_ms + ((k + 1) * sample_ms).min(length)) / 2)
        .collect();
    // Second pass: the frame shown at each sample's time.
    let mut out = Vec::with_capacity(times.len());
    let mut start = 0u64;
    let mut next = 0usize;
    for (frame, delay) in decoder()?.into_frames().zip(&delays) {
        if next == times.len() {
            break;
        }
        let frame = frame.map_err(|e| format!("could not decode the GIF: {e}"))?;
        let end = start + delay;
        if times[next] < end {
            let image = image::DynamicImage::ImageRgba8(frame.into_buffer());
            let mut features = features(&image, "GIF")?;
            features.width = first.width;
            features.height = first.height;
            while next < times.len() && times[next] < end {
                out.push(Frame {
                    index: next as u32,
                    time: times[next],
                    features: features.clone(),
                });
                next += 1;
            }
        }
        start = end;
    }
    Ok(out)
}

/// A JPEG of the image `bytes` hold (a GIF's first frame), reduced so that its longest side is
/// at most `side` pixels (never enlarged): the hosted copies of an input.
pub(crate) fn reduced_jpeg(bytes: &[u8], side: u32) -> Result<Vec<u8>, String> {
    let format = image::guess_format(bytes).map_err(|_| "not an image".to_string())?;
    let reader = || {
        let mut r = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
        let mut limits = image::Limits::default();
        limits.max_alloc = Some(MAX_DECODE_ALLOC);
        r.limits(limits);
        r
    };
    let (w, h) = reader().into_dimensions().map_err(|e| e.to_string())?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err("the image is too large".into());
    }
    let img = reader().decode().map_err(|e| e.to_string())?;
    let img = if img.width() > side || img.height() > side {
        img.resize(side, side, FilterType::Triangle)
    } else {
        img
    };
    let mut out = std::io::Cursor::new(Vec::new());
    img.to_rgb8()
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// Every feature of a decoded image.
fn features(img: &image::DynamicImage, format_name: &str) -> Result<Features, String> {
    let (width, height) = (img.width(), img.height());
    if width == 0 || height == 0 {
        return Err("the image is empty".into());
    }
    let small = if width > SIDE || height > SIDE {
        img.resize(SIDE, SIDE, FilterType::Triangle).to_rgb8()
    } else {
        img.to_rgb8()
    };
    let (w, h) = small.dimensions();
    let pixels: Vec<[u8; 3]> = small.pixels().map(|p| p.0).collect();
    let luma: Vec<f32> = pixels.iter().map(|p| luminance(*p)).collect();
    let gradient = gradients(&luma, w as usize, h as usize);
    let (w, h) = (w as usize, h as usize);
    let skin: Vec<bool> = pixels.iter().map(|p| is_skin(*p)).collect();
    let saturated: Vec<bool> = pixels
        .iter()
        .map(|p| {
            let (_, s, v) = hsv(*p);
            s > 0.5 && v > 0.3
        })
        .collect();
    let n = pixels.len().max(1) as f32;
    Ok(Features {
        width,
        height,
        format: format_name.into(),
        colors: dominant_colors(&pixels),
        embedding: embedding(&pixels, &gradient, w, h),
        concepts: general_concepts(&pixels, &gradient),
        regions: regions(&pixels, w, h),
        attributes: attributes(&pixels, &luma, w, h),
        // A face is at least 1.5% of the image; a mark between 0.5% and a quarter.
        faces: blobs(&skin, &pixels, w, h, (width, height), |c| {
            c as f32 / n >= 0.015
        }),
        marks: blobs(&saturated, &pixels, w, h, (width, height), |c| {
            let share = c as f32 / n;
            (0.005..=0.25).contains(&share)
        }),
        focus: focus(&gradient, w, h),
    })
}

/// Skin colour by the RGB rule of Kovač, Peer and Solina (2003), daylight variant.
fn is_skin([r, g, b]: [u8; 3]) -> bool {
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    r > 95 && g > 40 && b > 20 && max - min > 15 && r.abs_diff(g) > 15 && r > g && r > b
}

fn attributes(pixels: &[[u8; 3]], luma: &[f32], w: usize, h: usize) -> Attributes {
    let n = pixels.len().max(1) as f32;
    let mut words = vec![0.0f32; COLOR_WORDS.len()];
    let (mut brightness, mut saturation, mut skin) = (0.0f32, 0.0f32, 0.0f32);
    // Each distinct colour is named once (images repeat colours).
    let mut named: std::collections::HashMap<[u8; 3], Option<usize>> =
        std::collections::HashMap::new();
    for p in pixels {
        let word = *named
            .entry(*p)
            .or_insert_with(|| COLOR_WORDS.iter().position(|c| *c == color_word(*p)));
        if let Some(i) = word {
            words[i] += 1.0;
        }
        let (_, s, v) = hsv(*p);
        brightness += v;
        saturation += s;
        if is_skin(*p) {
            skin += 1.0;
        }
    }
    let (mut along_x, mut along_y) = (0.0f32, 0.0f32);
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if x + 1 < w {
                along_x += (luma[i + 1] - luma[i]).abs();
            }
            if y + 1 < h {
                along_y += (luma[i + w] - luma[i]).abs();
            }
        }
    }
    let mean = luma.iter().sum::<f32>() / n;
    let variance = luma.iter().map(|l| (l - mean).powi(2)).sum::<f32>() / n;
    let total = along_x + along_y;
    Attributes {
        words: words.into_iter().map(|c| round5(c / n)).collect(),
        brightness: round5(brightness / n),
        saturation: round5(saturation / n),
        texture: round5((total / n * 5.0).min(1.0)),
        contrast: round5((variance.sqrt() * 2.0).min(1.0)),
        skin: round5(skin / n),
        horizontal: round5(if total > 0.0 { along_y / total } else { 0.5 }),
    }
}

/// The connected areas (4-neighbours) of `mask` that `keep` accepts by pixel count, largest
/// first, at most 5; each with the embedding of the image cropped to its box. `full` is the
/// size of the original image (for the aspect ratio).
fn blobs(
    mask: &[bool],
    pixels: &[[u8; 3]],
    w: usize,
    h: usize,
    full: (u32, u32),
    keep: impl Fn(usize) -> bool,
) -> Vec<Blob> {
    let mut seen = vec![false; mask.len()];
    // (count, min x, min y, max x, max y)
    let mut found: Vec<(usize, usize, usize, usize, usize)> = Vec::new();
    let mut stack = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let mut b = (0, usize::MAX, usize::MAX, 0, 0);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            b = (b.0 + 1, b.1.min(x), b.2.min(y), b.3.max(x), b.4.max(y));
            let mut visit = |j: usize| {
                if mask[j] && !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        if keep(b.0) {
            found.push(b);
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
    found.truncate(5);
    let (wf, hf) = (w.max(1) as f32, h.max(1) as f32);
    found
        .into_iter()
        .map(|(count, x0, y0, x1, y1)| {
            let (bw, bh) = (x1 - x0 + 1, y1 - y0 + 1);
            let crop: Vec<[u8; 3]> = (y0..=y1)
                .flat_map(|y| (x0..=x1).map(move |x| (x, y)))
                .map(|(x, y)| pixels[y * w + x])
                .collect();
            let crop_luma: Vec<f32> = crop.iter().map(|p| luminance(*p)).collect();
            let crop_gradient = gradients(&crop_luma, bw, bh);
            let scale_x = full.0 as f32 / wf;
            let scale_y = full.1 as f32 / hf;
            Blob {
                bbox: [
                    round5(y0 as f32 / hf),
                    round5(x0 as f32 / wf),
                    round5((y1 + 1) as f32 / hf),
                    round5((x1 + 1) as f32 / wf),
                ],
                density: round5((count as f32 / (bw * bh) as f32).min(0.999)),
                aspect: round5((bw as f32 * scale_x) / (bh as f32 * scale_y).max(f32::EPSILON)),
                embedding: embedding(&crop, &crop_gradient, bw, bh),
            }
        })
        .collect()
}

/// Sharpness per cell of a 4×4 grid: the mean gradient, scaled like `texture`.
fn focus(gradient: &[f32], w: usize, h: usize) -> Focus {
    let mut cells = [0.0f32; 16];
    let mut counts = [0.0f32; 16];
    for y in 0..h {
        for x in 0..w {
            let cell = (y * 4 / h.max(1)) * 4 + x * 4 / w.max(1);
            cells[cell] += gradient[y * w + x];
            counts[cell] += 1.0;
        }
    }
    for (c, n) in cells.iter_mut().zip(counts) {
        *c = (*c / n.max(1.0) * 5.0).min(1.0);
    }
    let sharpest = cells.iter().copied().fold(0.0f32, f32::max);
    let overall = gradient.iter().sum::<f32>() / gradient.len().max(1) as f32;
    if sharpest <= 0.0 {
        return Focus::default();
    }
    let sharp: Vec<usize> = (0..16).filter(|&i| cells[i] >= sharpest / 2.0).collect();
    let (mut r0, mut c0, mut r1, mut c1) = (3, 3, 0, 0);
    for &i in &sharp {
        r0 = r0.min(i / 4);
        c0 = c0.min(i % 4);
        r1 = r1.max(i / 4);
        c1 = c1.max(i % 4);
    }
    let inside: Vec<f32> = (r0..=r1)
        .flat_map(|r| (c0..=c1).map(move |c| r * 4 + c))
        .map(|i| cells[i])
        .collect();
    Focus {
        value: round5((overall * 5.0).min(0.999)),
        density: round5(sharp.len() as f32 / 16.0),
        bbox: [
            r0 as f32 / 4.0,
            c0 as f32 / 4.0,
            (r1 + 1) as f32 / 4.0,
            (c1 + 1) as f32 / 4.0,
        ],
        region_value: round5((inside.iter().sum::<f32>() / inside.len().max(1) as f32).min(0.999)),
    }
}

/// One region per colour word covering at least 5% of the image: the bounding box of its
/// pixels, valued by the share of the box they fill.
fn regions(pixels: &[[u8; 3]], w: usize, h: usize) -> Vec<RegionHit> {
    // (word, count, min x, min y, max x, max y)
    let mut boxes: Vec<(&str, usize, usize, usize, usize, usize)> = Vec::new();
    for (i, p) in pixels.iter().enumerate() {
        let (x, y) = (i % w.max(1), i / w.max(1));
        let word = color_word(*p);
        match boxes.iter_mut().find(|b| b.0 == word) {
            Some(b) => {
                b.1 += 1;
                b.2 = b.2.min(x);
                b.3 = b.3.min(y);
                b.4 = b.4.max(x);
                b.5 = b.5.max(y);
            }
            None => boxes.push((word, 1, x, y, x, y)),
        }
    }
    let total = pixels.len().max(1) as f32;
    let (wf, hf) = (w.max(1) as f32, h.max(1) as f32);
    let mut out: Vec<RegionHit> = boxes
        .into_iter()
        .filter(|b| b.1 as f32 / total >= 0.05)
        .map(|(word, n, x0, y0, x1, y1)| {
            let area = ((x1 - x0 + 1) * (y1 - y0 + 1)) as f32;
            RegionHit {
                concept: word.to_string(),
                value: round5((n as f32 / area).min(0.999)),
                bbox: [
                    round5(y0 as f32 / hf),
                    round5(x0 as f32 / wf),
                    round5((y1 + 1) as f32 / hf),
                    round5((x1 + 1) as f32 / wf),
                ],
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then_with(|| a.concept.cmp(&b.concept))
    });
    out.truncate(10);
    out
}

fn dominant_colors(pixels: &[[u8; 3]]) -> Vec<ColorHit> {
    let mut sums = vec![([0u64; 3], 0u64); w3c::COLORS.len()];
    // Images repeat colours: each distinct colour is searched among the 140 named ones once.
    let mut known: std::collections::HashMap<[u8; 3], usize> = std::collections::HashMap::new();
    for p in pixels {
        let i = *known.entry(*p).or_insert_with(|| w3c::nearest(*p));
        for (sum, c) in sums[i].0.iter_mut().zip(p) {
            *sum += u64::from(*c);
        }
        sums[i].1 += 1;
    }
    let total = pixels.len().max(1) as f32;
    let mut hits: Vec<ColorHit> = sums
        .iter()
        .enumerate()
        .filter(|(_, (_, n))| *n > 0)
        .map(|(i, (s, n))| ColorHit {
            raw: [(s[0] / n) as u8, (s[1] / n) as u8, (s[2] / n) as u8],
            w3c: i,
            value: round5(*n as f32 / total),
        })
        .filter(|c| c.value >= 0.01)
        .collect();
    hits.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.w3c.cmp(&b.w3c)));
    hits.truncate(10);
    hits
}

/// Luminance (Rec. 601), 0..1.
fn luminance(p: [u8; 3]) -> f32 {
    (0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])) / 255.0
}

/// Absolute luminance gradient per pixel (right and down neighbours).
fn gradients(luma: &[f32], w: usize, h: usize) -> Vec<f32> {
    let mut g = vec![0.0; luma.len()];
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            let dx = if x + 1 < w {
                (luma[i + 1] - luma[i]).abs()
            } else {
                0.0
            };
            let dy = if y + 1 < h {
                (luma[i + w] - luma[i]).abs()
            } else {
                0.0
            };
            g[i] = dx + dy;
        }
    }
    g
}

fn embedding(pixels: &[[u8; 3]], gradient: &[f32], w: usize, h: usize) -> Vec<f32> {
    let mut hist = vec![0.0f32; 64];
    let mut grid = vec![0.0f32; 48];
    let mut edges = vec![0.0f32; 16];
    let mut counts = [0.0f32; 16];
    for y in 0..h {
        for x in 0..w {
            let p = pixels[y * w + x];
            let bin =
                usize::from(p[0] / 64) * 16 + usize::from(p[1] / 64) * 4 + usize::from(p[2] / 64);
            hist[bin] += 1.0;
            let cell = (y * 4 / h) * 4 + x * 4 / w;
            for k in 0..3 {
                grid[cell * 3 + k] += f32::from(p[k]) / 255.0;
            }
            edges[cell] += gradient[y * w + x];
            counts[cell] += 1.0;
        }
    }
    for cell in 0..16 {
        let n = counts[cell].max(1.0);
        for k in 0..3 {
            grid[cell * 3 + k] /= n;
        }
        edges[cell] /= n;
    }
    normalise(&mut hist);
    normalise(&mut grid);
    normalise(&mut edges);
    // The spatial layout of colours weighs most, so that similar colours in the same places
    // (red and dark red) are nearer than different colours sharing a histogram bin.
    let mut v: Vec<f32> = hist
        .into_iter()
        .map(|h| h * 0.5)
        .chain(grid)
        .chain(edges.into_iter().map(|e| e * 0.5))
        .collect();
    normalise(&mut v);
    v.iter_mut().for_each(|x| *x = round5(*x));
    v
}

fn normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// A score as a JSON number with at most `digits` decimals (no `f32` widening noise).
pub(crate) fn number(x: f32, digits: i32) -> serde_json::Value {
    let scale = 10f64.powi(digits);
    serde_json::json!((f64::from(x) * scale).round() / scale)
}

/// Cosine similarity, clamped to 0..1 (the embeddings have no negative parts).
pub(crate) fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    (dot / (na * nb)).clamp(0.0, 1.0)
}

/// Hue (degrees), saturation and value of a pixel.
fn hsv(p: [u8; 3]) -> (f32, f32, f32) {
    let [r, g, b] = p.map(|c| f32::from(c) / 255.0);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let d = max - min;
    let h = if d == 0.0 {
        0.0
    } else if max == r {
        60.0 * ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    let s = if max == 0.0 { 0.0 } else { d / max };
    (h, s, max)
}

fn color_word(p: [u8; 3]) -> &'static str {
    let (h, s, v) = hsv(p);
    if v < 0.2 {
        return "black";
    }
    if s < 0.15 {
        return if v > 0.85 { "white" } else { "gray" };
    }
    match h {
        h if !(15.0..345.0).contains(&h) => "red",
        h if h < 45.0 => {
            if v < 0.6 {
                "brown"
            } else {
                "orange"
            }
        }
        h if h < 70.0 => "yellow",
        h if h < 170.0 => "green",
        h if h < 200.0 => "cyan",
        h if h < 260.0 => "blue",
        h if h < 290.0 => "purple",
        _ => "pink",
    }
}

fn general_concepts(pixels: &[[u8; 3]], gradient: &[f32]) -> Vec<(String, f32)> {
    let n = pixels.len().max(1) as f32;
    let mut words: Vec<(&str, f32)> = Vec::new();
    for p in pixels {
        let w = color_word(*p);
        match words.iter_mut().find(|(name, _)| *name == w) {
            Some(e) => e.1 += 1.0,
            None => words.push((w, 1.0)),
        }
    }
    let mut out: Vec<(String, f32)> = words
        .into_iter()
        .map(|(w, c)| (w.to_string(), c / n))
        .filter(|(_, f)| *f >= 0.05)
        .map(|(w, f)| (w, f.sqrt().min(0.999)))
        .collect();
    // Brightness is the mean HSV value (a pure red is bright, not dark).
    let brightness = pixels.iter().map(|p| hsv(*p).2).sum::<f32>() / n;
    let saturation = pixels.iter().map(|p| hsv(*p).1).sum::<f32>() / n;
    let texture = gradient.iter().sum::<f32>() / n;
    // Colour words lead (up to 0.999); the other attributes are capped lower.
    if brightness > 0.6 {
        out.push(("bright".into(), (brightness * 0.96).min(0.96)));
    }
    if brightness < 0.35 {
        out.push(("dark".into(), ((1.0 - brightness) * 0.96).min(0.96)));
    }
    if saturation > 0.4 {
        out.push(("colorful".into(), (saturation * 0.97).min(0.97)));
    }
    if saturation < 0.1 {
        out.push(("monochrome".into(), ((1.0 - saturation) * 0.97).min(0.97)));
    }
    if texture > 0.08 {
        out.push(("textured".into(), (texture * 5.0).min(0.95)));
    }
    if texture < 0.02 {
        out.push(("smooth".into(), ((1.0 - texture * 10.0) * 0.95).min(0.95)));
    }
    for c in &mut out {
        c.1 = round5(c.1);
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

fn round5(x: f32) -> f32 {
    (x * 100_000.0).round() / 100_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::samples::png;

    #[test]
    fn solid_red_is_red() {
        let f = analyse(&png(10, 10, |_, _| [255, 0, 0])).unwrap();
        assert_eq!(w3c::COLORS[f.colors[0].w3c].0, "Red");
        assert_eq!(f.colors[0].value, 1.0);
        assert_eq!(f.concepts[0].0, "red");
        assert_eq!(f.embedding.len(), EMBEDDING_DIMS);
        let blue = analyse(&png(10, 10, |_, _| [0, 0, 255])).unwrap();
        assert!(cosine(&f.embedding, &blue.embedding) < 0.2);
        assert!(cosine(&f.embedding, &f.embedding) > 0.999);
        assert!(analyse(b"not an image").is_err());
    }

    fn gif(colours: &[[u8; 3]], delay_ms: u32) -> Vec<u8> {
        crate::samples::animated_gif(8, 8, colours, delay_ms)
    }

    #[test]
    fn an_animated_gif_is_sampled_at_the_middle_of_each_interval() {
        let (red, blue) = ([255, 0, 0], [0, 0, 255]);
        let bytes = gif(&[red, blue, red, blue, red, blue], 100);
        // One interval of 1000 ms, cut at the animation's end (600 ms): its middle is 300 ms,
        // where the fourth frame (blue) shows.
        let frames = analyse_video(&bytes, 1000).unwrap();
        assert_eq!(frames.len(), 1);
        assert_eq!((frames[0].index, frames[0].time), (0, 300));
        assert_eq!(frames[0].features.concepts[0].0, "blue");
        // Every 200 ms: 100, 300, 500 ms, the 2nd, 4th and 6th frames.
        let frames = analyse_video(&bytes, 200).unwrap();
        let times: Vec<(u32, u64)> = frames.iter().map(|f| (f.index, f.time)).collect();
        assert_eq!(times, [(0, 100), (1, 300), (2, 500)]);
        assert!(frames.iter().all(|f| f.features.concepts[0].0 == "blue"));
        let frames = analyse_video(&bytes, 100).unwrap();
        assert_eq!(frames.len(), 6);
        assert_eq!(frames[0].features.concepts[0].0, "red");
        assert_eq!(
            (frames[0].features.width, frames[0].features.height),
            (8, 8)
        );
    }

    #[test]
    fn a_still_is_one_frame_and_no_codec_is_decoded() {
        let frames = analyse_video(&png(4, 4, |_, _| [0, 255, 0]), 1000).unwrap();
        assert_eq!(frames.len(), 1);
        assert_eq!((frames[0].index, frames[0].time), (0, 0));
        let mp4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2mp41\x00\x00\x00\x08mdat";
        let e = analyse_video(mp4, 1000).unwrap_err();
        assert!(e.contains("no video codec"), "{e}");
    }

    #[test]
    fn skin_coloured_areas_are_faces_and_sharp_areas_are_in_focus() {
        // A skin-coloured square on a blue background, stripes in the left half.
        let f = analyse(&png(40, 40, |x, y| {
            if (20..30).contains(&x) && (10..20).contains(&y) {
                [224, 172, 140]
            } else if x < 20 && y % 2 == 0 {
                [255, 255, 255]
            } else {
                [0, 0, 160]
            }
        }))
        .unwrap();
        assert_eq!(f.faces.len(), 1, "{:?}", f.faces);
        assert_eq!(f.faces[0].bbox, [0.25, 0.5, 0.5, 0.75]);
        assert_eq!(f.faces[0].embedding.len(), EMBEDDING_DIMS);
        assert!(f.attributes.skin > 0.05 && f.attributes.skin < 0.07);
        assert!(
            f.focus.value > 0.0 && f.focus.bbox[1] == 0.0,
            "{:?}",
            f.focus
        );
        assert!(f.focus.bbox[3] <= 0.75, "{:?}", f.focus);
        let plain = analyse(&png(40, 40, |_, _| [0, 0, 160])).unwrap();
        assert!(plain.faces.is_empty() && plain.focus.value == 0.0);
    }

    #[test]
    fn half_and_half() {
        let f = analyse(&png(60, 40, |x, _| {
            if x < 30 { [0, 0, 255] } else { [255, 255, 255] }
        }))
        .unwrap();
        assert_eq!(f.colors.len(), 2);
        assert!((f.colors[0].value - 0.5).abs() < 0.05);
        assert!(f.concepts.iter().any(|(n, _)| n == "blue"));
        assert!(f.concepts.iter().any(|(n, _)| n == "white"));
    }
}
