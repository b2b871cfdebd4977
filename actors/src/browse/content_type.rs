//! The Content-Type a file's raw bytes are served with: a small fixed table, chosen so that a
//! browser never renders a repository's file as a document. Text (whatever its extension:
//! `.html`, `.svg`, `.js`) is `text/plain; charset=utf-8`; binary files are a few image, audio,
//! video and archive types by extension, else `application/octet-stream` (so are PDF and
//! compressed SVG, which browsers would render).

/// Served for every text file.
pub const TEXT: &str = "text/plain; charset=utf-8";
/// Served for binary files the table does not name.
pub const BINARY: &str = "application/octet-stream";

const TABLE: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("avif", "image/avif"),
    ("bmp", "image/bmp"),
    ("ico", "image/x-icon"),
    ("mp3", "audio/mpeg"),
    ("ogg", "audio/ogg"),
    ("wav", "audio/wav"),
    ("flac", "audio/flac"),
    ("mp4", "video/mp4"),
    ("webm", "video/webm"),
    ("zip", "application/zip"),
    ("gz", "application/gzip"),
    ("tgz", "application/gzip"),
    ("tar", "application/x-tar"),
    ("xz", "application/x-xz"),
    ("zst", "application/zstd"),
    ("wasm", "application/wasm"),
];

/// The Content-Type of the file `name` whose content is `binary` or text.
pub fn content_type(name: &str, binary: bool) -> &'static str {
    if !binary {
        return TEXT;
    }
    let Some((_, ext)) = name.rsplit_once('.') else {
        return BINARY;
    };
    TABLE
        .iter()
        .find(|(e, _)| e.eq_ignore_ascii_case(ext))
        .map_or(BINARY, |(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_plain_and_documents_are_never_rendered() {
        for name in ["index.html", "logo.svg", "a.js", "README", "x.xhtml"] {
            assert_eq!(content_type(name, false), TEXT, "{name}");
        }
        for name in ["a.html", "b.svg", "c.svgz", "d.pdf", "e.xml", "noext"] {
            assert_eq!(content_type(name, true), BINARY, "{name}");
        }
        assert_eq!(content_type("a.PNG", true), "image/png");
        assert_eq!(content_type("a.tar.gz", true), "application/gzip");
    }
}
