import Foundation

/// What a user can do about a problem when the answer is one of Quill's commands or options.
///
/// The library names the step as data and words it here without any command or option; the
/// executable words it with them. Each wording is appended directly to the problem it follows,
/// so it begins with its own separator (a space, `; `, `, `) and ends with its full stop.
public indirect enum Remedy: Equatable, Sendable {
    /// The names a filter can use, of one kind, with the names there are.
    public enum Names: Equatable, Sendable {
        case coders, sources, cases
    }

    case listCases
    case listSources
    case listSourcesNothingChanged
    case nameSource
    case listNames(Names, known: [String])
    case listCoders
    case listMemos
    case listProposals
    case numberedSegments
    case numberedSegmentsOf(source: String)
    case giveMemoText
    case deleteMemo(id: Int64)
    case giveSpeakerPattern
    case checkProject
    case checkOtherProject
    case importAttributes
    case addAttributes
    case giveCasesAttribute
    case lookUpCode(after: QuillError)
    case whereSyntax
    case nameCodersOnce
    case nameTwoCoders
    case nameFewerCoders
    case importCodebook
    case applyToSourceProject
    case writeNewSheet(source: String?)
    case restoreMarker(source: String)
    case restoreDamagedMarker
    case acceptOrReject
    case dropTypeOverride(attribute: String, type: String)
    case fixValueOrText(attribute: String)
    case takeTheirs
    case settleConflicts
    case fixValueOrKeepOurs
    case orKeepOurs
    case keepOurs
    case keepOursOrMoveFirst
    case keepOursOrRenameFirst
    case importProjectInstead
    case importCodebookInstead
    case addCodesFirst
    case moveInstead
    case orTop
    case mergeWithChildren(into: String)
    case checkSegmentsOrAdd
    case forceDeleteSubtree(codings: Int)
    case mergeOrForce
    case orForce
    case mergeTheTwo
    case showSource

    /// The wording that names no command or option.
    public var generic: String {
        switch self {
        case .listCases, .listSources, .listMemos, .listProposals, .numberedSegmentsOf, .importAttributes: return ""
        case .listSourcesNothingChanged: return " Nothing was changed."
        case .nameSource: return " Name a source."
        case .listNames(_, let known): return known.isEmpty || known.count > 12 ? "" : " They are: \(known.joined(separator: ", "))."
        case .listCoders, .numberedSegments, .addAttributes, .nameTwoCoders, .importCodebook, .takeTheirs, .orKeepOurs, .keepOurs,
            .forceDeleteSubtree, .orForce, .mergeTheTwo, .showSource, .orTop:
            return "."
        case .giveMemoText: return " Give it as text, in a file, or on standard input."
        case .deleteMemo: return " To remove it, delete the memo."
        case .giveSpeakerPattern: return ", or give a speaker pattern."
        case .checkProject: return " Check the project."
        case .checkOtherProject: return " Nothing was changed. Check that project."
        case .giveCasesAttribute: return " Give the cases the attribute, or fix the name."
        case .lookUpCode(let error): return " " + (error.errorDescription ?? "")
        case .whereSyntax: return " Write it as ATTRIBUTE=VALUE, for example 'where: role=librarian'."
        case .nameCodersOnce: return "; name each coder once."
        case .nameFewerCoders: return "; name fewer."
        case .applyToSourceProject: return " Apply it to the project it was written from. Nothing was applied."
        case .writeNewSheet: return " Write a new sheet and copy your codes into it. Nothing was applied."
        case .restoreMarker: return " Restore the marker from a fresh sheet. Nothing was applied."
        case .restoreDamagedMarker: return " Restore it as '<!-- seg:NUMBER START-END HASH -->' from a fresh sheet. Nothing was applied."
        case .acceptOrReject: return " Accept it or reject it, not both."
        case .dropTypeOverride: return " Keep the project's type, or use another column name."
        case .fixValueOrText: return " Fix the value, or make the attribute text."
        case .settleConflicts: return " Merge again keeping this project's version of each, or taking the other's."
        case .fixValueOrKeepOurs: return ", or keep this project's version."
        case .keepOursOrMoveFirst: return "; move the codes here first."
        case .keepOursOrRenameFirst: return "; rename one of them first."
        case .importProjectInstead: return " Import it as a project; a .qdc holds a codebook alone."
        case .importCodebookInstead: return " Import it as a codebook."
        case .addCodesFirst: return " Import or add codes first. No file was written."
        case .moveInstead: return " To put the code elsewhere, move it."
        case .mergeWithChildren(let target): return ", or merge them all along into '\(target)'."
        case .checkSegmentsOrAdd: return " Check the segments, or add the code."
        case .mergeOrForce: return " Merge it into another code to keep them."
        }
    }
}

/// Something a reader or an operation noticed and could work around, with what helps when that
/// is one of Quill's commands.
public struct Notice: Equatable, Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// What was noticed, without the remedy.
    public var text: String
    /// What helps, if anything.
    public var remedy: Remedy?

    package init(_ text: String, remedy: Remedy? = nil) {
        self.text = text
        self.remedy = remedy
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(stringInterpolation: DefaultStringInterpolation) {
        self.init(String(stringInterpolation: stringInterpolation))
    }

    /// The notice in words that name no command.
    public var description: String {
        text + (remedy?.generic ?? "")
    }
}
