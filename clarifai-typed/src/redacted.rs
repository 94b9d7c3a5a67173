//! `Redacted<T>`: a response part the server may blank when the key lacks a depending scope.
