import Foundation
import ZIPFoundation

/// A zip archive read in memory, with checks against damaged, encrypted and bomb-like
/// archives; shared by the readers of office documents and of REFI-QDA projects.
///
/// The zip's directory is read here, with every offset and length checked against the bytes,
/// and only the entries asked for are inflated, by ZIPFoundation's `Data.decompress`, from a
/// provider that never reads past the entry's own bytes. (ZIPFoundation's in-memory `Archive`
/// is not used for reading: on a damaged zip it can seek past the end of the data and stop
/// the process, and its Linux inflater loops for ever on a deflate stream cut short.)
struct SafeZip {
    /// How much of a zip Quill agrees to unpack.
    struct Limits {
        /// The largest uncompressed size of one entry read.
        var entrySize: UInt64
        /// The largest ratio of uncompressed to compressed size, above `ratioFloor`.
        var compressionRatio: UInt64
        /// The size under which the ratio is not checked.
        var ratioFloor: UInt64

        /// 256 MB, and a ratio of 200 for entries over 1 MB (real XML compresses 5 to 30 times).
        static let standard = Limits(entrySize: 256 << 20, compressionRatio: 200, ratioFloor: 1 << 20)
    }

    /// Why a zip's directory could not be read.
    typealias Failure = ZipEntry.Failure

    let data: Data
    /// The file, for messages.
    let path: String
    let limits: Limits
    /// What to tell a user about problems with this kind of file.
    let advice: Advice
    /// The entries, in directory order.
    let entries: [ZipEntry]

    /// The remedies messages give, in the words of the kind of file the zip is.
    struct Advice {
        /// For a damaged archive or entry.
        var copyAgain: String
        /// For an entry compressed with a method Quill does not read.
        var saveAgain: String
        /// For an entry over the size limit.
        var tooLarge: String
        /// For an entry that would expand like a zip bomb.
        var bomb: String
    }

    /// Reads the directory of the zip in `data`.
    static func open(_ data: Data, path: String, limits: Limits, advice: Advice) -> Result<SafeZip, Failure> {
        ZipEntry.directory(of: data).map {
            SafeZip(data: data, path: path, limits: limits, advice: advice, entries: $0)
        }
    }

    func failure(_ problem: String, remedy: String) -> QuillError {
        .badInput(path: path, problem: problem, remedy: remedy)
    }

    /// The entry with this name, compared exactly first and then without case.
    func entry(_ name: String) -> ZipEntry? {
        if let entry = entries.first(where: { $0.name == name }) { return entry }
        let folded = name.lowercased()
        return entries.first { $0.name.lowercased() == folded }
    }

    /// Thrown inside the inflater to stop it.
    private enum Stop: Error {
        case tooMuchOutput
        case inputExhausted
    }

    /// Refuses an archive with an entry whose name climbs out of it or starts at the root, as
    /// archives made to overwrite files when unpacked have. Quill unpacks nothing to disk, but
    /// no program that makes real documents or projects writes such names.
    func refuseEntriesOutsideTheArchive() throws {
        for entry in entries {
            let parts = entry.name.replacingOccurrences(of: "\\", with: "/").split(separator: "/", omittingEmptySubsequences: false)
            if entry.name.hasPrefix("/") || entry.name.hasPrefix("\\") || parts.contains("..") || entry.name.contains(":") {
                throw failure(
                    "it holds an entry named '\(entry.name)', which points outside the archive",
                    remedy: "Quill refuses such archives, as they can be used to overwrite files. Check where the file came from.")
            }
        }
    }

    /// Unpacks one entry into memory, refusing encrypted entries, oversized ones and zip bombs.
    func read(_ entry: ZipEntry, cap: UInt64? = nil) throws -> Data {
        let part = entry.name
        let damaged = failure("its \(part) is damaged and cannot be unpacked", remedy: advice.copyAgain)
        if entry.isEncrypted {
            throw failure(
                "its \(part) is encrypted (the zip archive is password-protected)",
                remedy: "Quill cannot read encrypted archives. Remove the password and import the file again.")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw failure(
                "its \(part) uses a zip compression method Quill cannot read (method \(entry.method))",
                remedy: advice.saveAgain)
        }
        let size = entry.uncompressedSize
        let limit = cap ?? limits.entrySize
        if size > limit {
            throw failure(
                "its \(part) is too large to read (\(Self.megabytes(size)) uncompressed; the limit is \(Self.megabytes(limit)))",
                remedy: advice.tooLarge)
        }
        let ratio = size / max(entry.compressedSize, 1)
        if size > limits.ratioFloor, ratio > limits.compressionRatio {
            throw failure(
                "its \(part) would expand \(ratio) times (to \(Self.megabytes(size))), as a zip bomb does, so it was not unpacked",
                remedy: advice.bomb)
        }
        guard let range = entry.dataRange(in: data) else { throw damaged }
        let compressed = data[range]
        var bytes = Data()
        if entry.method == 0 {
            guard UInt64(compressed.count) == size else { throw damaged }
            bytes = Data(compressed)
        } else {
            // Chunks are always as long as asked, padded with zeros past the part's end (so that
            // zlib never reads outside them), and a request after the padding stops the inflater.
            var cursor = compressed.startIndex
            var padded = false
            do {
                _ = try Data.decompress(
                    size: Int64(compressed.count), bufferSize: 1 << 16, skipCRC32: true,
                    provider: { _, wanted in
                        // Apple's inflater asks for nothing once it has all the input.
                        guard wanted > 0 else { return Data() }
                        if cursor >= compressed.endIndex {
                            if padded { throw Stop.inputExhausted }
                            padded = true
                        }
                        let end = min(cursor + wanted, compressed.endIndex)
                        var chunk = Data(compressed[cursor..<end])
                        cursor = end
                        if chunk.count < wanted { chunk.append(Data(count: wanted - chunk.count)) }
                        return chunk
                    },
                    consumer: { output in
                        guard UInt64(bytes.count) + UInt64(output.count) <= size else { throw Stop.tooMuchOutput }
                        bytes.append(output)
                    })
            } catch {
                throw damaged
            }
        }
        guard UInt64(bytes.count) == size, bytes.crc32(checksum: 0) == entry.crc32 else { throw damaged }
        return bytes
    }

    static func megabytes(_ bytes: UInt64) -> String {
        let value = Double(bytes) / 1_048_576
        return value >= 10 ? "\(Int(value.rounded())) MB" : String(format: "%.1f MB", value)
    }
}

/// An entry of a zip's central directory, read with every offset and length checked.
struct ZipEntry {
    enum Failure: Error {
        /// No end-of-central-directory record: not a zip, or one cut short.
        case noEndRecord
        /// The directory points outside the data or is not where it says.
        case damaged
    }

    var name: String
    var flags: UInt16
    var method: UInt16
    var crc32: UInt32
    var compressedSize: UInt64
    var uncompressedSize: UInt64
    var localHeaderOffset: UInt64

    /// Traditional PKWARE encryption (flag bit 0), strong encryption (bit 6) or WinZip AES (method 99).
    var isEncrypted: Bool { flags & 0x41 != 0 || method == 99 }

    /// Little-endian reads that return nil outside the bytes.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer

        func u16(_ at: UInt64) -> UInt16? {
            guard at <= UInt64(bytes.count), UInt64(bytes.count) - at >= 2 else { return nil }
            let index = Int(at)
            return UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
        }

        func u32(_ at: UInt64) -> UInt32? {
            guard let low = u16(at), let high = u16(at + 2) else { return nil }
            return UInt32(low) | UInt32(high) << 16
        }

        func u64(_ at: UInt64) -> UInt64? {
            guard let low = u32(at), let high = u32(at + 4) else { return nil }
            return UInt64(low) | UInt64(high) << 32
        }

        func slice(_ at: UInt64, _ length: UInt64) -> UnsafeRawBufferPointer.SubSequence? {
            guard at <= UInt64(bytes.count), UInt64(bytes.count) - at >= length else { return nil }
            return bytes[Int(at)..<Int(at + length)]
        }
    }

    /// The entries of the zip in these bytes, in directory order.
    static func directory(of data: Data) -> Result<[ZipEntry], Failure> {
        data.withUnsafeBytes { raw -> Result<[ZipEntry], Failure> in
            let reader = Reader(bytes: raw)
            let count = UInt64(raw.count)
            // The end record is in the last 22 bytes plus a comment of at most 65,535 bytes.
            guard count >= 22 else { return .failure(.noEndRecord) }
            var end: UInt64?
            var probe = count - 22
            while true {
                if reader.u32(probe) == 0x0605_4B50 { end = probe; break }
                if probe == 0 || count - 22 - probe >= 0xFFFF { break }
                probe -= 1
            }
            guard let end, let entries16 = reader.u16(end + 10), let size32 = reader.u32(end + 12),
                let offset32 = reader.u32(end + 16)
            else { return .failure(.noEndRecord) }
            var entryCount = UInt64(entries16)
            var directorySize = UInt64(size32)
            var directoryOffset = UInt64(offset32)
            var directoryLimit = end
            if entries16 == 0xFFFF || size32 == 0xFFFF_FFFF || offset32 == 0xFFFF_FFFF {
                // ZIP64: the locator just before the end record gives the ZIP64 end record.
                guard end >= 20, reader.u32(end - 20) == 0x0706_4B50, let record = reader.u64(end - 12), record < end,
                    reader.u32(record) == 0x0606_4B50, let total = reader.u64(record + 32),
                    let size = reader.u64(record + 40), let offset = reader.u64(record + 48)
                else { return .failure(.damaged) }
                entryCount = total
                directorySize = size
                directoryOffset = offset
                directoryLimit = record
            }
            guard directoryOffset <= directoryLimit, directoryLimit - directoryOffset >= directorySize,
                entryCount <= directorySize / 46
            else { return .failure(.damaged) }
            var entries: [ZipEntry] = []
            var position = directoryOffset
            let directoryEnd = directoryOffset + directorySize
            for _ in 0..<entryCount {
                guard reader.u32(position) == 0x0201_4B50, position + 46 <= directoryEnd,
                    let flags = reader.u16(position + 8), let method = reader.u16(position + 10),
                    let crc = reader.u32(position + 16), let compressed32 = reader.u32(position + 20),
                    let uncompressed32 = reader.u32(position + 24), let nameLength = reader.u16(position + 28),
                    let extraLength = reader.u16(position + 30), let commentLength = reader.u16(position + 32),
                    let offset32 = reader.u32(position + 42)
                else { return .failure(.damaged) }
                let nameStart = position + 46
                let extraStart = nameStart + UInt64(nameLength)
                let next = extraStart + UInt64(extraLength) + UInt64(commentLength)
                guard next <= directoryEnd, let nameBytes = reader.slice(nameStart, UInt64(nameLength)),
                    let extra = reader.slice(extraStart, UInt64(extraLength))
                else { return .failure(.damaged) }
                var entry = ZipEntry(
                    name: String(decoding: nameBytes, as: UTF8.self), flags: flags, method: method, crc32: crc,
                    compressedSize: UInt64(compressed32), uncompressedSize: UInt64(uncompressed32),
                    localHeaderOffset: UInt64(offset32))
                guard
                    entry.applyZIP64(
                        extra: Reader(bytes: UnsafeRawBufferPointer(rebasing: extra)),
                        uncompressed32: uncompressed32, compressed32: compressed32, offset32: offset32)
                else { return .failure(.damaged) }
                entries.append(entry)
                position = next
            }
            return .success(entries)
        }
    }

    /// Takes the 64-bit sizes and offset from the ZIP64 extra field, for the fields whose
    /// 32-bit value is 0xFFFFFFFF. False when such a field has no 64-bit value.
    private mutating func applyZIP64(extra: Reader, uncompressed32: UInt32, compressed32: UInt32, offset32: UInt32) -> Bool {
        let needed = [uncompressed32, compressed32, offset32].filter { $0 == 0xFFFF_FFFF }.count
        guard needed > 0 else { return true }
        var position: UInt64 = 0
        while let id = extra.u16(position), let length = extra.u16(position + 2) {
            let start = position + 4
            if id == 0x0001 {
                guard UInt64(length) >= UInt64(needed) * 8 else { return false }
                var field = start
                func nextValue() -> UInt64? {
                    defer { field += 8 }
                    return extra.u64(field)
                }
                if uncompressed32 == 0xFFFF_FFFF { guard let value = nextValue() else { return false }; uncompressedSize = value }
                if compressed32 == 0xFFFF_FFFF { guard let value = nextValue() else { return false }; compressedSize = value }
                if offset32 == 0xFFFF_FFFF { guard let value = nextValue() else { return false }; localHeaderOffset = value }
                return true
            }
            position = start + UInt64(length)
        }
        return false
    }

    /// Where the entry's stored bytes are, checked against the local header; nil when they are
    /// not inside the data.
    func dataRange(in data: Data) -> Range<Data.Index>? {
        data.withUnsafeBytes { raw -> Range<Data.Index>? in
            let reader = Reader(bytes: raw)
            let header = localHeaderOffset
            guard reader.u32(header) == 0x0403_4B50, let nameLength = reader.u16(header + 26),
                let extraLength = reader.u16(header + 28)
            else { return nil }
            let start = header + 30 + UInt64(nameLength) + UInt64(extraLength)
            guard reader.slice(start, compressedSize) != nil else { return nil }
            return (data.startIndex + Int(start))..<(data.startIndex + Int(start + compressedSize))
        }
    }
}
