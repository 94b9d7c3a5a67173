//! The built-in models: stand-ins for Clarifai's public catalogue, available in every app and in
//! the public app `clarifai/main`, under the ids, names, versions and output types Clarifai
//! publishes. Every output is computed from the pixels ([`crate::vision`]); none is Clarifai's.

use crate::vision::Attr::{self, *};

/// What a built-in model computes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    /// Dominant colours (`data.colors`).
    Color,
    /// A feature vector (`data.embeddings`).
    Embed,
    /// Concepts derived from the image features (`data.concepts`).
    General,
    /// Regions of one colour each (`data.regions`).
    Detect,
    /// Concepts of a vocabulary, each scored from the image's attributes (`data.concepts`).
    Vocabulary(&'static [Word]),
    /// Face regions (`data.regions[].region_info.bounding_box`).
    Faces,
    /// Face regions with the embedding of each face (`data.regions[].data.embeddings`).
    FaceEmbed,
    /// Face regions with age, gender and multicultural appearance concepts
    /// (`data.regions[].data.concepts` and `.data.face.*_appearance.concepts`).
    Demographics,
    /// Face regions with identity concepts (`data.regions[].data.face.identity.concepts`).
    Celebrity,
    /// Regions of compact saturated marks with concepts (`data.regions[].data.concepts`).
    Logo,
    /// Sharpness (`data.focus {density, value}` and a region of the sharpest part).
    Focus,
}

/// A concept of a vocabulary model: its score is `sqrt` of the weighted sum of image attributes
/// (each 0..1), capped at 0.999.
pub(crate) type Word = (&'static str, &'static [(Attr, f32)]);

/// A built-in model.
#[derive(Debug)]
pub(crate) struct Builtin {
    /// The current id (`general-image-recognition`), then the legacy ids requests may use.
    pub(crate) ids: &'static [&'static str],
    /// The name model searches and the old clients look models up by.
    pub(crate) name: &'static str,
    pub(crate) display_name: &'static str,
    pub(crate) kind: Kind,
    /// Published version ids, the current first: any of them is accepted, and echoed.
    pub(crate) version_ids: &'static [&'static str],
    pub(crate) created_at: &'static str,
    pub(crate) model_type_id: &'static str,
    /// `output_info.type` and `output_info.type_ext`.
    pub(crate) output_type: (&'static str, &'static str),
}

/// The user and app that own the built-in models.
pub(crate) const PUBLIC_USER: &str = "clarifai";
/// See [`PUBLIC_USER`].
pub(crate) const PUBLIC_APP: &str = "main";

const RED: Attr = Word(0);
const ORANGE: Attr = Word(1);
const YELLOW: Attr = Word(2);
const GREEN: Attr = Word(3);
const CYAN: Attr = Word(4);
const BLUE: Attr = Word(5);
const PURPLE: Attr = Word(6);
const PINK: Attr = Word(7);
const BROWN: Attr = Word(8);
const BLACK: Attr = Word(9);
const WHITE: Attr = Word(10);
const GRAY: Attr = Word(11);

/// Food: colours and textures of dishes.
const FOOD: &[Word] = &[
    ("vegetable", &[(GREEN, 1.2), (Textured, 0.2)]),
    ("salad", &[(GREEN, 0.8), (Textured, 0.4), (RED, 0.2)]),
    ("tomato", &[(RED, 1.0), (Smooth, 0.2)]),
    ("strawberry", &[(RED, 0.7), (PINK, 0.3), (Textured, 0.2)]),
    ("bread", &[(ORANGE, 0.5), (BROWN, 0.6), (Textured, 0.2)]),
    ("cheese", &[(YELLOW, 0.9), (Bright, 0.2)]),
    ("lemon", &[(YELLOW, 0.8), (Saturated, 0.3)]),
    ("milk", &[(WHITE, 0.9), (Smooth, 0.3)]),
    ("rice", &[(WHITE, 0.6), (Textured, 0.5)]),
    ("coffee", &[(BROWN, 0.7), (BLACK, 0.4), (Dark, 0.2)]),
    ("chocolate", &[(BROWN, 0.8), (Dark, 0.3)]),
    ("meat", &[(RED, 0.5), (BROWN, 0.5), (Textured, 0.2)]),
    ("blueberry", &[(BLUE, 0.6), (PURPLE, 0.6)]),
    ("dessert", &[(PINK, 0.6), (WHITE, 0.3), (Bright, 0.2)]),
];

/// Travel: scenes by their colours and textures.
const TRAVEL: &[Word] = &[
    ("sea", &[(BLUE, 0.7), (CYAN, 0.6), (Smooth, 0.2)]),
    (
        "beach",
        &[(YELLOW, 0.5), (CYAN, 0.4), (BLUE, 0.3), (Bright, 0.2)],
    ),
    ("sky", &[(BLUE, 0.6), (Bright, 0.3), (Smooth, 0.3)]),
    ("mountain", &[(GRAY, 0.5), (WHITE, 0.3), (Textured, 0.4)]),
    ("forest", &[(GREEN, 0.8), (Textured, 0.4), (Dark, 0.2)]),
    ("city", &[(GRAY, 0.6), (Textured, 0.5), (Contrast, 0.2)]),
    ("snow", &[(WHITE, 0.9), (Bright, 0.3)]),
    ("sunset", &[(ORANGE, 0.6), (RED, 0.3), (Dark, 0.3)]),
    ("desert", &[(YELLOW, 0.5), (ORANGE, 0.4), (Smooth, 0.3)]),
    ("night", &[(BLACK, 0.6), (Dark, 0.5)]),
    ("hotel", &[(BROWN, 0.3), (WHITE, 0.3), (Contrast, 0.3)]),
    (
        "travel",
        &[(Saturated, 0.4), (Bright, 0.3), (Contrast, 0.2)],
    ),
];

/// Apparel: garments by their colours and textures.
const APPAREL: &[Word] = &[
    ("jeans", &[(BLUE, 0.9), (Textured, 0.3)]),
    ("shirt", &[(WHITE, 0.5), (BLUE, 0.3), (Smooth, 0.2)]),
    (
        "dress",
        &[(RED, 0.4), (PINK, 0.4), (PURPLE, 0.3), (Smooth, 0.2)],
    ),
    ("jacket", &[(BLACK, 0.6), (BROWN, 0.4), (Textured, 0.2)]),
    ("sweater", &[(Textured, 0.6), (Muted, 0.3)]),
    ("skirt", &[(PINK, 0.5), (RED, 0.3), (BLACK, 0.3)]),
    ("shoe", &[(BLACK, 0.5), (BROWN, 0.5), (Contrast, 0.2)]),
    ("scarf", &[(Saturated, 0.5), (Textured, 0.4)]),
    ("hat", &[(BROWN, 0.4), (BLACK, 0.3), (GRAY, 0.3)]),
    ("bag", &[(BROWN, 0.6), (Contrast, 0.3)]),
];

/// Weddings.
const WEDDING: &[Word] = &[
    ("bride", &[(WHITE, 0.8), (Bright, 0.3)]),
    ("groom", &[(BLACK, 0.7), (WHITE, 0.2)]),
    ("veil", &[(WHITE, 0.6), (Smooth, 0.4)]),
    (
        "flowers",
        &[(PINK, 0.5), (RED, 0.3), (GREEN, 0.3), (Saturated, 0.2)],
    ),
    ("cake", &[(WHITE, 0.5), (BROWN, 0.3), (PINK, 0.2)]),
    ("ring", &[(YELLOW, 0.6), (Contrast, 0.3)]),
    ("love", &[(RED, 0.6), (PINK, 0.5)]),
    ("ceremony", &[(Bright, 0.3), (Contrast, 0.3), (WHITE, 0.3)]),
    ("celebration", &[(Saturated, 0.5), (Bright, 0.3)]),
];

/// Moderation: skin-coloured area stands for exposure, dark red for blood. `safe` is what the
/// others leave.
const MODERATION: &[Word] = &[
    ("explicit", &[(Skin, 1.6)]),
    ("suggestive", &[(Skin, 0.9), (PINK, 0.2)]),
    ("gore", &[(RED, 0.5), (Dark, 0.3), (BROWN, 0.2)]),
    ("drug", &[(WHITE, 0.15), (Textured, 0.1)]),
    ("safe", &[(Muted, 0.5), (Smooth, 0.3), (Bright, 0.2)]),
];

/// Not safe for work: the share of skin-coloured pixels.
const NSFW: &[Word] = &[
    ("nsfw", &[(Skin, 1.6)]),
    (
        "sfw",
        &[(Muted, 0.4), (Smooth, 0.3), (Bright, 0.2), (Contrast, 0.1)],
    ),
];

/// Textures and patterns.
const TEXTURES: &[Word] = &[
    ("smooth", &[(Smooth, 0.9)]),
    ("rough", &[(Textured, 0.9)]),
    ("striped", &[(Textured, 0.4), (Horizontal, 0.5)]),
    ("vertical stripes", &[(Textured, 0.4), (Vertical, 0.5)]),
    ("colorful", &[(Saturated, 0.9)]),
    ("monochrome", &[(Muted, 0.9)]),
    ("contrasty", &[(Contrast, 0.9)]),
    ("metallic", &[(GRAY, 0.6), (Contrast, 0.3)]),
    ("wooden", &[(BROWN, 0.6), (Textured, 0.3)]),
];

/// Landscape quality: sharp, contrasty, colourful pictures are "high quality".
const LANDSCAPE_QUALITY: &[Word] = &[
    (
        "high quality",
        &[(Textured, 0.4), (Contrast, 0.4), (Saturated, 0.2)],
    ),
    ("low quality", &[(Smooth, 0.4), (Muted, 0.3), (Dark, 0.3)]),
];

/// Portrait quality: the same, and a face-coloured area helps.
const PORTRAIT_QUALITY: &[Word] = &[
    (
        "high quality",
        &[(Textured, 0.3), (Contrast, 0.4), (Skin, 0.3)],
    ),
    ("low quality", &[(Smooth, 0.4), (Muted, 0.3), (Dark, 0.3)]),
];

/// The built-in models. The 32-hex ids are the legacy ids Clarifai's old clients and examples
/// use (`aaa03c23…` general, `eeed0b67…` colour, `bbb5f414…` general embedding, the others those
/// of the `PublicModels` of the `clarifai` 2.6 Python client); version ids are those Clarifai's
/// docs and client suites name (`aa7f35c0…` and the 2016 `aa9ca482…` of General, `1580bb19…` of
/// detection, `dfebc169…` of food, `aa8be956…` of moderation, `f783f080…` of demographics).
/// Names and output types are those of Clarifai's published model payloads (`general-v1.3`,
/// `color`, `general` embed, `face` detect-embed, `logo` and `demographics` detect-concept,
/// `celeb-v1.3`, `nsfw-v1.0`) and of the suites' lookups (`apparel`, `food-items-v1.0`,
/// `travel-v1.0`, `weddings-v1.0`, `face` of type `facedetect`). Where nothing was published
/// (the other version ids, creation times), the value is the emulator's.
pub(crate) static BUILTINS: &[Builtin] = &[
    Builtin {
        ids: &[
            "general-image-recognition",
            "aaa03c23b3724a16a56b629203edc62c",
        ],
        name: "general-v1.3",
        display_name: "General",
        kind: Kind::General,
        version_ids: &[
            "aa7f35c01e0642fda5cf400f543e7c40",
            "aa9ca48295b37401f8af92ad1af0d91d",
        ],
        created_at: "2016-03-09T17:11:39.608845Z",
        model_type_id: "visual-classifier",
        output_type: ("concept", "concept"),
    },
    Builtin {
        ids: &["color-recognition", "eeed0b6733a644cea07cf4c60f87ebb7"],
        name: "color",
        display_name: "Color",
        kind: Kind::Color,
        version_ids: &["dd9458324b4b45c2be1a7ba84d27cd04"],
        created_at: "2016-05-11T18:05:45.924367Z",
        model_type_id: "color-recognizer",
        output_type: ("color", "color"),
    },
    Builtin {
        ids: &[
            "general-image-embedding",
            "bbb5f41425b8468d9b7a554ff10f8581",
        ],
        name: "general",
        display_name: "General Embedding",
        kind: Kind::Embed,
        version_ids: &["bb186755eda04f9cbb6fe32e816be104"],
        created_at: "2016-06-17T22:01:04.144732Z",
        model_type_id: "visual-embedder",
        output_type: ("embed", "embed"),
    },
    Builtin {
        ids: &["general-image-detection"],
        name: "general-image-detection",
        display_name: "General Image Detection",
        kind: Kind::Detect,
        version_ids: &["1580bb1932594c93b7e2e04456af7c6f"],
        created_at: "2020-10-20T18:17:28.339133Z",
        model_type_id: "visual-detector",
        output_type: ("detect-concept", "detect-concept"),
    },
    Builtin {
        ids: &["e0be3b9d6a454f0493ac3a30784001ff"],
        name: "apparel",
        display_name: "Apparel",
        kind: Kind::Vocabulary(APPAREL),
        version_ids: &["dc2cd6d9bff5425a80bfe0c4105583c1"],
        created_at: "2016-11-15T20:13:07.284526Z",
        model_type_id: "visual-classifier",
        output_type: ("concept", "concept"),
    },
    Builtin {
        ids: &["e466caa0619f444ab97497640cefc4dc"],
        name: "celeb-v1.3",
        display_name: "Celebrity",
        kind: Kind::Celebrity,
        version_ids: &["0676ebddd5d6413ebdaa101570295a39"],
        created_at: "2016-10-25T19:30:38.541073Z",
        model_type_id: "visual-detector",
        output_type: ("concept", "facedetect-identity"),
    },
    Builtin {
        ids: &["c0c0ac362b03416da06ab3fa36fb58e3"],
        name: "demographics",
        display_name: "Demographics",
        kind: Kind::Demographics,
        version_ids: &["f783f0807c52474c8c6ad20c8cf45fc0"],
        created_at: "2016-12-23T06:08:44.271674Z",
        model_type_id: "visual-detector",
        output_type: ("detect-concept", "detect-concept"),
    },
    Builtin {
        ids: &["a403429f2ddf4b49b307e318f00e528b"],
        name: "face",
        display_name: "Face Detection",
        kind: Kind::Faces,
        version_ids: &["34ce21a40cc24b6b96ffee54aabff139"],
        created_at: "2016-10-25T19:30:38.541073Z",
        model_type_id: "visual-detector",
        output_type: ("facedetect", "facedetect"),
    },
    Builtin {
        ids: &["d02b4508df58432fbb84e800597b8959"],
        name: "face",
        display_name: "Face Embedding",
        kind: Kind::FaceEmbed,
        version_ids: &["fc6999e5eb274dfdba826f6b1c7ffdab"],
        created_at: "2016-10-25T19:30:38.541073Z",
        model_type_id: "visual-embedder",
        output_type: ("embed", "detect-embed"),
    },
    Builtin {
        ids: &["c2cf7cecd8a6427da375b9f35fcd2381"],
        name: "focus",
        display_name: "Focus",
        kind: Kind::Focus,
        version_ids: &["b2897edbda314615856039fb0c489796"],
        created_at: "2017-03-06T22:57:00.660603Z",
        model_type_id: "visual-detector",
        output_type: ("focus", "focus"),
    },
    Builtin {
        ids: &["bd367be194cf45149e75f01d59f77ba7"],
        name: "food-items-v1.0",
        display_name: "Food",
        kind: Kind::Vocabulary(FOOD),
        version_ids: &["dfebc169854e429086aceb8368662641"],
        created_at: "2016-09-17T22:18:59.955626Z",
        model_type_id: "visual-classifier",
        output_type: ("concept", "concept"),
    },
    Builtin {
        ids: &["bec14810deb94c40a05f1f0eb3c91403"],
        name: "landscape-quality",
        display_name: "Landscape Quality",
        kind: Kind::Vocabulary(LANDSCAPE_QUALITY),
        version_ids: &["a6d1b7f4a7ad4a1bb3d8b0e2c3a8c2d1"],
        created_at: "2017-06-20T18:11:47.154361Z",
        model_type_id: "visual-classifier",
        output_type: ("concept", "concept"),
    },
    Builtin {
        ids: &["c443119bf2ed4da98487520d01a0b1e3"],
        name: "logo",
        display_name: "Logo",
        kind: Kind::Logo,
        version_ids: &["ef1b7237d68441c8a8b0bd8e0ea2e5b3"],
        created_at: "2017-03-06T22:57:00.707216Z",
        model_type_id: "visual-detector",
        output_type: ("detect-concept", "detect-concept"),
    },
    Builtin {
        ids: &["d16f390eb32cad478c7ae150069bd2c6"],
        name: "moderation",
        display_name: "Moderation",
        kind: Kind::Vocabulary(MODERATION),
        version_ids: &["aa8be956dbaa4b7a858826a84253cab9"],
        created_at: "2017-05-12T21:28:00.471607Z",
        model_type_id: "visual-classifier",
        output_type: ("concept", "concept"),
    },
    Builtin {
        ids: &["e9576d86d2004ed1a38ba0cf39ecb4b1"],
        name: "nsfw-v1.0",
        display_name: "NSFW",
        kind: Kind::Vocabulary(NSFW),
        version_ids: &["aa47919c9a8d4d94bfa283121281bcc4"],
        created_at: "2016-09-17T22:18:59.955626Z",
        model_type_id: "visual-classifier",
        output_type: ("concept", "concept"),
    },
    Builtin {
        ids: &["de9bd05cfdbf4534af151beb2a5d0953"],
        name: "portrait-quality",
        display_name: "Portrait Quality",
        kind: Kind::Vocabulary(PORTRAIT_QUALITY),
        version_ids: &["b3a7c6e4d2f14f0fa1c3e5d7b9a2c4e6"],
        created_at: "2017-06-20T18:11:47.154361Z",
        model_type_id: "visual-classifier",
        output_type: ("concept", "concept"),
    },
    Builtin {
        ids: &["fbefb47f9fdb410e8ce14f24f54b47ff"],
        name: "Textures & Patterns",
        display_name: "Textures & Patterns",
        kind: Kind::Vocabulary(TEXTURES),
        version_ids: &["c7e4a2b8d1f34e6a9b0c2d4f6a8e0b1c"],
        created_at: "2017-06-20T18:11:47.154361Z",
        model_type_id: "visual-classifier",
        output_type: ("concept", "concept"),
    },
    Builtin {
        ids: &["eee28c313d69466f836ab83287a54ed9"],
        name: "travel-v1.0",
        display_name: "Travel",
        kind: Kind::Vocabulary(TRAVEL),
        version_ids: &["cba9ee6fd8a04c8ba4af1c7d4e2a1f27"],
        created_at: "2016-12-14T17:36:43.221231Z",
        model_type_id: "visual-classifier",
        output_type: ("concept", "concept"),
    },
    Builtin {
        ids: &["c386b7a870114f4a87477c0824499348"],
        name: "weddings-v1.0",
        display_name: "Wedding",
        kind: Kind::Vocabulary(WEDDING),
        version_ids: &["1d1d7a2ec6454b0a9d8f6c5f44d0c2f6"],
        created_at: "2016-09-17T22:18:59.955626Z",
        model_type_id: "visual-classifier",
        output_type: ("concept", "concept"),
    },
];

/// The built-in model answering to `id`.
pub(crate) fn find(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.ids.contains(&id))
}

/// The General model.
pub(crate) fn general() -> &'static Builtin {
    &BUILTINS[0]
}

/// The identities the celebrity stand-in tells apart: placeholders, not people.
pub(crate) const IDENTITIES: &[&str] = &[
    "identity 01",
    "identity 02",
    "identity 03",
    "identity 04",
    "identity 05",
    "identity 06",
    "identity 07",
    "identity 08",
];

/// The demographics stand-in's vocabularies (those of Clarifai's demographics model).
pub(crate) const GENDERS: &[&str] = &["feminine", "masculine"];
/// See [`GENDERS`].
pub(crate) const MULTICULTURAL: &[&str] = &[
    "american indian or alaska native",
    "asian",
    "black or african american",
    "hispanic, latino, or spanish origin",
    "middle eastern or north african",
    "native hawaiian or pacific islander",
    "white",
];
/// See [`GENDERS`]: ages are concepts named by the number of years.
pub(crate) const AGES: std::ops::RangeInclusive<u32> = 1..=90;

impl Builtin {
    pub(crate) fn id(&self) -> &'static str {
        self.ids[0]
    }

    /// The current version's id.
    pub(crate) fn version_id(&self) -> &'static str {
        self.version_ids[0]
    }

    /// `id` if it is one of this model's published version ids.
    pub(crate) fn version(&self, id: &str) -> Option<&'static str> {
        self.version_ids.iter().copied().find(|v| *v == id)
    }

    /// How many concepts [`Builtin::vocabulary`] lists, without making them.
    pub(crate) fn vocabulary_len(&self) -> usize {
        match self.kind {
            Kind::General => crate::vision::GENERAL_CONCEPTS.len(),
            Kind::Color => crate::w3c::COLORS.len(),
            Kind::Detect => crate::vision::COLOR_WORDS.len(),
            Kind::Vocabulary(words) => words.len(),
            Kind::Celebrity => IDENTITIES.len(),
            Kind::Logo => LOGO_MARKS.len(),
            Kind::Demographics => GENDERS.len() + MULTICULTURAL.len() + AGES.count(),
            Kind::Embed | Kind::Faces | Kind::FaceEmbed | Kind::Focus => 0,
        }
    }

    /// The concept ids (and names) the model knows, for `output_info.data.concepts`.
    pub(crate) fn vocabulary(&self) -> Vec<(String, String)> {
        let same = |n: &str| (n.to_string(), n.to_string());
        match self.kind {
            Kind::General => crate::vision::GENERAL_CONCEPTS
                .iter()
                .map(|n| same(n))
                .collect(),
            Kind::Color => crate::w3c::COLORS
                .iter()
                .map(|(n, _)| (n.to_lowercase(), (*n).to_string()))
                .collect(),
            Kind::Detect => crate::vision::COLOR_WORDS.iter().map(|n| same(n)).collect(),
            Kind::Vocabulary(words) => words.iter().map(|(n, _)| concept_id(n)).collect(),
            Kind::Celebrity => IDENTITIES.iter().map(|n| concept_id(n)).collect(),
            Kind::Logo => LOGO_MARKS.iter().map(|n| concept_id(n)).collect(),
            Kind::Demographics => GENDERS
                .iter()
                .chain(MULTICULTURAL)
                .map(|n| concept_id(n))
                .chain(AGES.map(|a| concept_id(&a.to_string())))
                .collect(),
            Kind::Embed | Kind::Faces | Kind::FaceEmbed | Kind::Focus => Vec::new(),
        }
    }
}

/// The logo stand-in's concepts: the shape of a compact saturated mark.
pub(crate) const LOGO_MARKS: &[&str] = &["round mark", "wide mark", "tall mark", "square mark"];

/// A catalogue concept's `(id, name)`: the id is the name with spaces and punctuation as `-`
/// (`"high quality"` is `high-quality`).
pub(crate) fn concept_id(name: &str) -> (String, String) {
    let id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    (id, name.to_string())
}

/// The scores of a vocabulary on an image's attributes: `(id, name, value)`.
pub(crate) fn score(words: &[Word], a: &crate::vision::Attributes) -> Vec<(String, String, f32)> {
    words
        .iter()
        .map(|(name, weights)| {
            let sum: f32 = weights.iter().map(|(attr, w)| a.get(*attr) * w).sum();
            let (id, name) = concept_id(name);
            let v = (sum.max(0.0).sqrt().min(0.999) * 100_000.0).round() / 100_000.0;
            (id, name, v)
        })
        .collect()
}

/// Scores of `labels` for a vector, as a softmax over the vector's cosine with one fixed
/// pseudo-random direction per label (seeded by `salt` and the label): a deterministic function
/// of the pixels that estimates nothing. Values sum to 1.
pub(crate) fn projection(vector: &[f32], labels: &[String], salt: &str) -> Vec<f32> {
    let logits: Vec<f32> = labels
        .iter()
        .map(|label| {
            let mut state = fnv1a(salt.as_bytes()) ^ fnv1a(label.as_bytes()).rotate_left(17);
            let mut dot = 0.0f32;
            let mut norm = 0.0f32;
            for x in vector {
                // xorshift64*
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                let r =
                    (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 40) as f32 / (1u64 << 24) as f32;
                let d = r * 2.0 - 1.0;
                dot += x * d;
                norm += d * d;
            }
            // Cosine scaled so that the scores spread.
            8.0 * dot / norm.sqrt().max(f32::EPSILON)
        })
        .collect();
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|l| (l - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.iter()
        .map(|e| ((e / sum) * 100_000.0).round() / 100_000.0)
        .collect()
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_versions_are_unique_and_every_model_has_a_version() {
        let mut ids: Vec<&str> = BUILTINS
            .iter()
            .flat_map(|b| b.ids.iter().copied())
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "a model id is used twice");
        let mut versions: Vec<&str> = BUILTINS
            .iter()
            .flat_map(|b| b.version_ids.iter().copied())
            .collect();
        let n = versions.len();
        versions.sort_unstable();
        versions.dedup();
        assert_eq!(versions.len(), n, "a version id is used twice");
        assert_eq!(general().ids[1], "aaa03c23b3724a16a56b629203edc62c");
    }

    #[test]
    fn the_vocabulary_is_counted_as_it_is_listed() {
        for b in BUILTINS {
            assert_eq!(b.vocabulary_len(), b.vocabulary().len(), "{}", b.id());
        }
    }

    #[test]
    fn projections_are_deterministic_and_sum_to_one() {
        let labels: Vec<String> = GENDERS.iter().map(|s| s.to_string()).collect();
        let v = vec![0.1, 0.5, 0.2, 0.7];
        let a = projection(&v, &labels, "gender");
        assert_eq!(a, projection(&v, &labels, "gender"));
        assert!((a.iter().sum::<f32>() - 1.0).abs() < 1e-3, "{a:?}");
    }
}
