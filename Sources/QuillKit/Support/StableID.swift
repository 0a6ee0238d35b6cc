import Crypto
import Foundation

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
        let hex = bytes.map { String(format: "%02X", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4),
                     hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    /// The lowercase hexadecimal SHA-256 of some bytes.
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether a string is a GUID in the 8-4-4-4-12 hexadecimal form, with or without braces.
    public static func isGUID(_ string: String) -> Bool {
        normalized(string) != nil
    }

    /// A GUID in upper case without braces, or nil when the string is not a GUID.
    public static func normalized(_ string: String) -> String? {
        var bytes = Array(string.utf8)
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        if bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") { bytes = Array(bytes.dropFirst().dropLast()) }
        guard bytes.count == 36 else { return nil }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "F"): break
            case UInt8(ascii: "a")...UInt8(ascii: "f"): bytes[index] = byte - 32
            default: return nil
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

}
