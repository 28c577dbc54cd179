import Contracts
import Foundation
import Testing

@Suite struct ContractsTests {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func thePublishedAsyncAPIDocumentIsTheOneTheCodeDescribes() throws {
        let file = Self.repositoryRoot.appendingPathComponent("docs/asyncapi.json")
        let published = try JSONValue.parse(Data(contentsOf: file))
        #expect(published == AsyncAPI.document(), "docs/asyncapi.json is stale: regenerate it with `utilis contracts asyncapi > docs/asyncapi.json`")
    }

    @Test(arguments: Catalog.messages.map { ContractCase($0) })
    func everyExampleFitsItsSchemaAndRoundTrips(_ contract: ContractCase) throws {
        let json = try contract.exampleJSON()
        #expect(contract.schema.problems(of: json) == [], "\(contract.type)")
        #expect(try contract.roundTrip() == json)
    }

    @Test func wireNamesFollowTheConvention() {
        for contract in Catalog.messages {
            #expect(contract.type.hasSuffix(".v\(contract.version)"))
            #expect(contract.name.allSatisfy { $0.isLowercase || $0 == "-" }, "\(contract.name) is not kebab-case")
        }
        #expect(Set(Catalog.messages.map { $0.type }).count == Catalog.messages.count)
    }

    @Test func theSchemaValidatorNamesEachWrongField() {
        let schema = JSONSchema.object(
            properties: [
                "meter": .string(minLength: 3), "dials": .integer(minimum: 1, maximum: 12), "kind": .enumeration(["register", "interval"]),
                "installedAt": .string(format: .dateTime), "seals": .array(.string()), "note": .nullable(.string()),
            ], required: ["meter", "dials"])
        let value = JSONValue.object([
            "meter": .string("M"), "dials": .number(13.5), "kind": .string("daily"), "installedAt": .string("yesterday"),
            "seals": .array([.string("S1"), .number(2)]), "note": .null, "colour": .string("red"),
        ])
        #expect(schema.problems(of: value) == [
            "$.colour: not a known field",
            "$.dials: not an integer",
            "$.installedAt: not an ISO 8601 date-time",
            "$.kind: 'daily' is not one of register, interval",
            "$.meter: shorter than 3",
            "$.seals[1]: expected string, got number",
        ])
        #expect(schema.problems(of: .object(["dials": .number(2)])) == ["$.meter: required"])
        #expect(schema.problems(of: .array([])) == ["$: expected object, got array"])
    }
}

/// One contract type as a test argument.
struct ContractCase: CustomTestStringConvertible, Sendable {
    let type: String
    let schema: JSONSchema
    let exampleJSON: @Sendable () throws -> JSONValue
    let roundTrip: @Sendable () throws -> JSONValue

    init(_ contract: any MessageContract.Type) {
        type = contract.type
        schema = contract.schema
        exampleJSON = { try Self.example(contract) }
        roundTrip = { try Self.decodeAndEncode(contract) }
    }

    static func example<M: MessageContract>(_ contract: M.Type) throws -> JSONValue { try JSONValue.of(M.example) }

    static func decodeAndEncode<M: MessageContract>(_ contract: M.Type) throws -> JSONValue {
        let data = try JSONEncoder().encode(M.example)
        return try JSONValue.of(try JSONDecoder().decode(M.self, from: data))
    }

    var testDescription: String { type }
}

/// JSON text read and written by hand (`JSONText.swift`), against what RFC 8259 and Foundation say.
@Suite struct JSONTextTests {
    @Test func valuesRoundTripAndKeysAreSorted() throws {
        let value = JSONValue.object([
            "b": .array([.null, .bool(true), .bool(false), .number(-12), .number(0.1), .number(1e20), .number(2.5e-7)]),
            "a": .string("quote \" backslash \\ slash / newline \n tab \t bell \u{07} persian تهران emoji 🔌"),
            "c": .object([:]), "d": .array([]),
        ])
        let text = value.canonicalJSON
        #expect(text.hasPrefix(#"{"a":"quote \" backslash \\ slash / newline \n tab \t bell \u0007 persian تهران emoji 🔌","b":[null,true,false,-12,0.1,"#))
        #expect(try JSONValue.parse(Array(text.utf8)) == value)
        // What Foundation reads from it is the same value, and what Foundation writes we read.
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) == value)
        let foundation = try JSONEncoder().encode(value)
        #expect(try JSONValue.parse(Array(foundation)) == value)
    }

    @Test func escapesAndSurrogatePairsAreRead() throws {
        #expect(try JSONValue.parse(Array(#" { "k" : [ "\u00e9\ud83d\udd0c\/" , 1E3 , -0.5e-1 ] } "#.utf8))
            == .object(["k": .array([.string("é🔌/"), .number(1000), .number(-0.05)])]))
    }

    @Test func malformedTextIsRefusedWithWhere() {
        for bad in [#"{"a":1,}"#, "[1 2]", #""unterminated"#, "01x", "+1", ".5", "1.", #"{"a" 1}"#, #""\ud800""#, "nul", "[1]]", "\"tab\there\""] {
            #expect(throws: JSONSyntaxError.self, "\(bad)") { try JSONValue.parse(Array(bad.utf8)) }
        }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect { try JSONValue.parse(Array(deep.utf8)) } throws: { "\($0)".contains("deeper than 512") }
    }
}
