import Foundation
import GRDB
import Testing

@testable import QuillKit

/// The digests that let a sound project be opened without making the schema in memory.
@Suite struct SchemaVerificationTests {
    @Test func theWrittenDigestsAreThoseOfTheSchemaSteps() throws {
        let made = try Schema.digestsAfterEachStep()
        #expect(made.count == Schema.migrator.migrations.count)
        for (count, digest) in made.sorted(by: { $0.key < $1.key }) {
            #expect(
                Schema.knownDigests[count] == digest, "after \(count) schema steps the digest is now \"\(digest)\"; write it in Schema.knownDigests")
        }
    }

    @Test func aSoundProjectHasTheDigestOfItsSteps() throws {
        let store = try ProjectDatabase.inMemory()
        let digest = try store.read { db in try Schema.digest(ofObjectsIn: db) }
        #expect(digest == Schema.knownDigests[Schema.migrator.migrations.count])
        #expect(try store.read { db in try Schema.differences(in: db) } == [])
    }
}
