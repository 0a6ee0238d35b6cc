import Crypto
public import Foundation

/// Name-based GUIDs, so that the same input always gives the same identifiers.
///
/// A project built twice from the same transcripts and codebook gets the same GUIDs for its
/// sources, codes, cases, coders and codings, and so exports the same bytes. The GUID is a
/// version 5 (SHA-1, name-based) UUID in Quill's own namespace, written in upper case as
/// REFI-QDA files write them.
public enum StableID {
    private static let namespace: [UInt8] = [
        0x6C, 0x1B, 0x43, 0x5E, 0x2F, 0x8A, 0x4B, 0x8E, 0x9D, 0x50, 0x51, 0x55, 0x49, 0x4C, 0x4C, 0x31,
    ]

    /// The GUID for an entity of some kind, named by a key that identifies it.
    /// - Parameters:
    ///   - kind: what the entity is, such as `"source"` or `"code"`.
    ///   - key: what identifies it within its kind, such as a SHA-256 or a path.
    public static func make(_ kind: String, _ key: String) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: namespace)
        hasher.update(data: Data("\(kind)\u{0}\(key)".utf8))
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        // 8-4-4-4-12 hexadecimal digits, in upper case.
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(upperDigits[Int(byte >> 4)])
            text.append(upperDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let upperDigits = Array("0123456789ABCDEF".utf8)
    private static let lowerDigits = Array("0123456789abcdef".utf8)

    /// The lowercase hexadecimal SHA-256 of some bytes.
    package static func sha256(_ data: Data) -> String {
        String(decoding: SHA256.hash(data: data).flatMap { [lowerDigits[Int($0 >> 4)], lowerDigits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    /// Whether a string is a GUID in the 8-4-4-4-12 hexadecimal form, with or without braces.
    package static func isGUID(_ string: String) -> Bool {
        normalized(string) != nil
    }

    /// A GUID in upper case without braces, or nil when the string is not a GUID.
    package static func normalized(_ string: String) -> String? {
        // The usual form, a bare GUID in ASCII, is checked byte by byte.
        if string.utf8.count == 36 {
            var bytes = Array(string.utf8)
            var isPlain = true
            for (index, byte) in bytes.enumerated() {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    isPlain = byte == UInt8(ascii: "-")
                } else if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f") {
                    bytes[index] = byte - 32
                } else {
                    isPlain = (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
                }
                if !isPlain { break }
            }
            if isPlain { return String(decoding: bytes, as: UTF8.self) }
        }
        var text = string.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("{") && text.hasSuffix("}") { text = String(text.dropFirst().dropLast()) }
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12],
            groups.allSatisfy({ $0.allSatisfy(\.isHexDigit) })
        else { return nil }
        return text.uppercased()
    }

}
