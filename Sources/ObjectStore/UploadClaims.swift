/// The objects one engine is uploading, so a `put` that finishes an interrupted upload of the same file never takes
/// over one this engine started or resumed itself (`put a.bin a.bin`, or two files of a folder alike).
actor UploadClaims {
    private var claimed: Set<String> = []

    /// Claims `objectId`; false when this engine holds it already.
    func claim(_ objectId: String) -> Bool { claimed.insert(objectId).inserted }
}
