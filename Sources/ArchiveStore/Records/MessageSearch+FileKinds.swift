extension MessageSearch.Content {
    /// The file name extensions (lower case) of an attachment of this media kind, for what knows an attachment by
    /// its name only (imported DCE messages, the HTML renderer); empty for the kinds that are not a media type.
    public var fileExtensions: [String] {
        switch self {
        case .image: ["png", "jpg", "jpeg", "gif", "webp", "avif", "bmp"]
        case .video: ["mp4", "webm", "mov", "m4v"]
        case .sound: ["mp3", "ogg", "oga", "wav", "flac", "m4a", "opus"]
        case .link, .embed, .file, .sticker, .poll: []
        }
    }
}
