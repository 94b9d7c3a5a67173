//! The built-in models, available in every app and in the public app `clarifai/main`.

/// What a built-in model computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Dominant colours (`data.colors`).
    Color,
    /// A feature vector (`data.embeddings`).
    Embed,
    /// Concepts derived from the image features (`data.concepts`).
    General,
    /// Regions of one colour each (`data.regions`).
    Detect,
}

/// A built-in model.
#[derive(Debug)]
pub(crate) struct Builtin {
    /// The current id (`general-image-recognition`); requests may use any of `ids`.
    pub(crate) ids: &'static [&'static str],
    pub(crate) name: &'static str,
    pub(crate) display_name: &'static str,
    pub(crate) kind: Kind,
    pub(crate) version_id: &'static str,
    pub(crate) created_at: &'static str,
    pub(crate) model_type_id: &'static str,
}

/// The user and app that own the built-in models.
pub(crate) const PUBLIC_USER: &str = "clarifai";
/// See [`PUBLIC_USER`].
pub(crate) const PUBLIC_APP: &str = "main";

/// The built-in models. The 32-hex ids are the legacy ids used by Clarifai's old clients and
/// examples (`aaa03c23…` general, `eeed0b67…` colour, `bbb5f414…` general embedding); the
/// version ids are those of Clarifai's docs (`1580bb19…` in the detection example).
pub(crate) static BUILTINS: &[Builtin] = &[
    Builtin {
        ids: &[
            "general-image-recognition",
            "aaa03c23b3724a16a56b629203edc62c",
        ],
        name: "general",
        display_name: "General",
        kind: Kind::General,
        version_id: "aa7f35c01e0642fda5cf400f543e7c40",
        created_at: "2016-03-09T17:11:39.608845Z",
        model_type_id: "visual-classifier",
    },
    Builtin {
        ids: &["color-recognition", "eeed0b6733a644cea07cf4c60f87ebb7"],
        name: "color",
        display_name: "Color",
        kind: Kind::Color,
        version_id: "dd9458324b4b45c2be1a7ba84d27cd04",
        created_at: "2016-05-11T18:05:45.924367Z",
        model_type_id: "color-recognizer",
    },
    Builtin {
        ids: &[
            "general-image-embedding",
            "bbb5f41425b8468d9b7a554ff10f8581",
        ],
        name: "general-embedding",
        display_name: "General Embedding",
        kind: Kind::Embed,
        version_id: "bb186755eda04f9cbb6fe32e816be104",
        created_at: "2016-06-17T22:01:04.144732Z",
        model_type_id: "visual-embedder",
    },
    Builtin {
        ids: &["general-image-detection"],
        name: "general-image-detection",
        display_name: "General Image Detection",
        kind: Kind::Detect,
        version_id: "1580bb1932594c93b7e2e04456af7c6f",
        created_at: "2020-10-20T18:17:28.339133Z",
        model_type_id: "visual-detector",
    },
];

/// The built-in model answering to `id`.
pub(crate) fn find(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.ids.contains(&id))
}

impl Builtin {
    pub(crate) fn id(&self) -> &'static str {
        self.ids[0]
    }

    /// `output_info.type`
    pub(crate) fn output_type(&self) -> &'static str {
        match self.kind {
            Kind::Color => "color",
            Kind::Embed => "embed",
            Kind::General => "concept",
            Kind::Detect => "detect-concept",
        }
    }
}
