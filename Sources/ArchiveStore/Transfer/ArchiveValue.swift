/// A column value in transit between backends (``ArchiveTransfer``).
public enum ArchiveValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
}
