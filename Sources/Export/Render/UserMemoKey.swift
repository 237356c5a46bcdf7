import Foundation

/// What a DCE user object's text depends on (a renderer's guild is fixed): the user JSON's bytes, the member data
/// and whether roles are written; the key of ``DCEValueWriter/memoized(_:_:)``. A concrete type, not `AnyHashable`:
/// the author's object is looked up once per message, and boxing and comparing through `AnyHashable` was a twentieth
/// of the export.
struct UserMemoKey: Hashable {
    /// The user object's JSON bytes.
    var json: ArraySlice<UInt8>
    /// The member data written with it.
    var member: DCERenderer.MemberInfo?
    /// Whether the object lists the member's roles.
    var withRoles: Bool

    /// The JSON bytes hashed as one block, and only they: the member data (the same per user in one renderer) is
    /// compared by ``==(_:_:)`` but not hashed, so hashing does not walk its roles per message.
    func hash(into hasher: inout Hasher) {
        json.withUnsafeBytes { hasher.combine(bytes: $0) }
        hasher.combine(withRoles)
    }

    static func == (a: UserMemoKey, b: UserMemoKey) -> Bool {
        guard a.withRoles == b.withRoles, a.json.count == b.json.count else { return false }
        let sameJSON = a.json.withUnsafeBytes { x in
            b.json.withUnsafeBytes { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
        return sameJSON && a.member == b.member
    }
}
