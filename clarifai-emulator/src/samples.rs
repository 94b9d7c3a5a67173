//! Sample images for tests: small, deterministic PNGs made in memory.
//!
//! ```
//! let red = clarifai_emulator::samples::solid_png([255, 0, 0]);
//! let stripes = clarifai_emulator::samples::png(32, 8, |x, _| if x % 2 == 0 { [0; 3] } else { [255; 3] });
//! let blinking = clarifai_emulator::samples::animated_gif(8, 8, &[[255, 0, 0], [0, 0, 255]], 500);
//! assert!(red.starts_with(b"\x89PNG") && stripes.starts_with(b"\x89PNG"));
//! assert!(blinking.starts_with(b"GIF89a"));
//! ```

/// A PNG of `width`×`height` pixels, each coloured `pixel(x, y)` (RGB).
///
/// # Panics
///
/// When `width` or `height` is 0 (there is no such image).
#[allow(clippy::expect_used)] // encoding an in-memory image to memory cannot fail
pub fn png(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    assert!(width > 0 && height > 0, "an image has at least one pixel");
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb(pixel(x, y)));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG encodes to memory");
    out.into_inner()
}

/// A 16×16 PNG of one colour.
pub fn solid_png(rgb: [u8; 3]) -> Vec<u8> {
    png(16, 16, |_, _| rgb)
}

/// A 16×16 PNG whose colours are derived from `seed`: different seeds give different images (and
/// different embeddings), the same seed the same image.
pub fn seeded_png(seed: u32) -> Vec<u8> {
    let h = seed.wrapping_mul(2_654_435_761);
    png(16, 16, |x, y| {
        let v = h ^ (x * 31 + y * 17);
        [
            (v & 0xff) as u8,
            ((v >> 8) & 0xff) as u8,
            ((v >> 16) & 0xff) as u8,
        ]
    })
}

/// An animated GIF of `width`×`height` pixels: one frame of each colour of `frames`, each shown
/// `delay_ms` milliseconds (GIF delays are counted in hundredths of a second).
///
/// # Panics
///
/// When `width` or `height` is 0, or no frame is given.
#[allow(clippy::expect_used)] // encoding an in-memory animation to memory cannot fail
pub fn animated_gif(width: u32, height: u32, frames: &[[u8; 3]], delay_ms: u32) -> Vec<u8> {
    assert!(width > 0 && height > 0, "an image has at least one pixel");
    assert!(!frames.is_empty(), "an animation has at least one frame");
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        encoder
            .set_repeat(image::codecs::gif::Repeat::Infinite)
            .expect("a GIF encodes to memory");
        for [r, g, b] in frames {
            let img = image::RgbaImage::from_pixel(width, height, image::Rgba([*r, *g, *b, 255]));
            let delay = image::Delay::from_numer_denom_ms(delay_ms, 1);
            encoder
                .encode_frame(image::Frame::from_parts(img, 0, 0, delay))
                .expect("a GIF encodes to memory");
        }
    }
    out
}
