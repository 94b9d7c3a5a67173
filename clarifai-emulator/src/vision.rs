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

/// Decodes an image (PNG, JPEG, GIF's first frame, BMP, TIFF) and computes every feature. The
/// dimensions in the header are checked against [`MAX_PIXELS`] before decoding.
pub(crate) fn analyse(bytes: &[u8]) -> Result<Features, String> {
    let unsupported = || format!("unsupported image format (the emulator decodes {FORMATS})");
    let format = image::guess_format(bytes).map_err(|_| unsupported())?;
    let format_name = match format {
        image::ImageFormat::Png => "PNG",
        image::ImageFormat::Jpeg => "JPEG",
        image::ImageFormat::Gif => "GIF",
        image::ImageFormat::Bmp => "BMP",
        image::ImageFormat::Tiff => "TIFF",
        _ => return Err(unsupported()),
    };
    let reader = || {
        let mut r = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
        let mut limits = image::Limits::default();
        limits.max_alloc = Some(MAX_DECODE_ALLOC);
        r.limits(limits);
        r
    };
    let (w, h) = reader()
        .into_dimensions()
        .map_err(|e| format!("could not read the image's header: {e}"))?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "the image is {w}×{h} pixels, more than the {MAX_PIXELS} the emulator decodes"
        ));
    }
    // For an animated GIF this is its first frame.
    let img = reader()
        .decode()
        .map_err(|e| format!("could not decode the image: {e}"))?;
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
    let luma: Vec<f32> = pixels
        .iter()
        .map(|p| {
            (0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])) / 255.0
        })
        .collect();
    let gradient = gradients(&luma, w as usize, h as usize);
    Ok(Features {
        width,
        height,
        format: format_name.into(),
        colors: dominant_colors(&pixels),
        embedding: embedding(&pixels, &gradient, w as usize, h as usize),
        concepts: general_concepts(&pixels, &gradient),
        regions: regions(&pixels, w as usize, h as usize),
    })
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
    for p in pixels {
        let i = w3c::nearest(*p);
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
