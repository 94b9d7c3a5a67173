//! A local Clarifai API server (work in progress).
