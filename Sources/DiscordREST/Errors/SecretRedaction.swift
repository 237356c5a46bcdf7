import Foundation

/// Removes secrets (tokens) from texts as whole values: an occurrence counts only when the characters around it
/// cannot belong to a token, so a short secret such as `t` never garbles "gave up after 6 attempts".
enum SecretRedaction {
    /// `text` with every whole occurrence of each secret replaced by `<redacted>`.
    static func redact(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty {
            result = redact(result, secret: secret)
        }
        return result
    }

    /// Characters a token (bot or webhook) is made of.
    static func isTokenCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "._-".contains(character))
    }

    private static func redact(_ text: String, secret: String) -> String {
        var output = ""
        var rest = text[...]
        while let range = rest.range(of: secret) {
            let before = range.lowerBound > rest.startIndex ? rest[rest.index(before: range.lowerBound)] : nil
            let after = range.upperBound < rest.endIndex ? rest[range.upperBound] : nil
            let whole = !(before.map(isTokenCharacter) ?? false) && !(after.map(isTokenCharacter) ?? false)
            output += rest[..<range.lowerBound]
            output += whole ? "<redacted>" : String(rest[range])
            rest = rest[range.upperBound...]
        }
        return output + rest
    }
}
