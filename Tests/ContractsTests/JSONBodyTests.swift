import Contracts
import Foundation
import Testing

/// `JSONBody` is written by hand to be Foundation's coders without their cost: these tests hold
/// it to the same bytes, the same values and the same errors, on every contract's example and on
/// the corners of JSON that examples do not reach.
@Suite struct JSONBodyTests {
    static func foundationEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func foundationDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    @Test(arguments: Catalog.messages.map { BodyCase($0) })
    func everyExampleIsWrittenAndReadAsFoundationDoes(_ contract: BodyCase) throws {
        let (ours, foundations) = try contract.encoded()
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: foundations, as: UTF8.self), "\(contract.type)")
        #expect(try contract.readBack(foundations) == foundations, "\(contract.type): read by JSONBody, written by Foundation")
    }

    struct Corners: Codable, Equatable {
        var int: Int
        var int64: Int64
        var smallest: Int64
        var byte: UInt8
        var unsigned: UInt64
        var doubles: [Double]
        var float: Float
        var text: String
        var absent: String?
        var null: String?
        var flags: [Bool]
        var counts: [String: Int]
        var nested: [[Corners]]?
        var date: Date
        var decimal: Decimal
        var url: URL
        var data: Data
        var value: JSONValue
    }

    static let corners = Corners(
        int: -42, int64: Int64.max, smallest: Int64.min, byte: 255, unsigned: UInt64.max,
        doubles: [0, -0.0, 0.1, 1e20, 1e-7, 123456.789, 9_007_199_254_740_992, 1e15, 2.5e-300, -1.5], float: 0.1,
        text: "quote \" backslash \\ slash / newline \n tab \t bell \u{07} del \u{7F} persian تهران emoji 🔌", absent: nil, null: nil,
        flags: [true, false], counts: ["b": 2, "a10": 3, "a2": 4, "A": 5, "é": 6, "_": 7, "": 8],
        nested: [[], [JSONBodyTests.leaf]], date: Date(timeIntervalSince1970: 1_796_400_000), decimal: Decimal(string: "12345.678")!,
        url: URL(string: "https://utilis.example/a/b?c=d")!, data: Data([0, 1, 2, 250]),
        value: .object(["z": .array([.null, .bool(true), .number(1.5), .number(1e15)]), "a": .string("x/y")]))

    static var leaf: Corners {
        Corners(
            int: 0, int64: 0, smallest: 0, byte: 0, unsigned: 0, doubles: [], float: 0, text: "", absent: nil, null: nil, flags: [],
            counts: [:], nested: nil, date: Date(timeIntervalSince1970: 0), decimal: 0, url: URL(string: "x:y")!, data: Data(), value: .null)
    }

    @Test func theCornersOfJSONAreWrittenAndReadAsFoundationDoes() throws {
        let foundation = try Self.foundationEncoder().encode(Self.corners)
        let ours = try JSONBody.encode(Self.corners)
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: foundation, as: UTF8.self))
        let read = try JSONBody.decode(Corners.self, from: Array(foundation))
        #expect(read == (try Self.foundationDecoder().decode(Corners.self, from: foundation)))
        #expect(read.text == Self.corners.text && read.unsigned == UInt64.max && read.smallest == Int64.min)
    }

    @Test func escapesWhitespaceAndOtherNumberFormsAreRead() throws {
        let text = #" { "text" : "\u00e9\ud83d\udd0c\/\"\\\b\f\n\r\t" , "whole" : 5.0 , "exponent" : 1e3 , "fraction" : -0.5e-1 } "#
        struct Forms: Decodable, Equatable { var text: String; var whole: Int; var exponent: Int; var fraction: Double }
        let ours = try JSONBody.decode(Forms.self, from: text)
        #expect(ours == Forms(text: "é🔌/\"\\\u{08}\u{0C}\n\r\t", whole: 5, exponent: 1000, fraction: -0.05))
        #expect(ours == (try Self.foundationDecoder().decode(Forms.self, from: Data(text.utf8))))
    }

    struct Reading: Codable {
        var meter: String
        var value: Int
        var dials: UInt8?
        var registers: [Register]
    }

    struct Register: Codable {
        var code: String
        var reading: Double
    }

    /// What a refusal is made from: the kind of error and the path of the field.
    static func summary(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String { keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?: return "key not found: \(path(context.codingPath + [key]))"
        case .typeMismatch(let type, let context)?: return "type mismatch: \(type) at \(path(context.codingPath))"
        case .valueNotFound(let type, let context)?: return "value not found: \(type) at \(path(context.codingPath))"
        case .dataCorrupted(let context)?: return "data corrupted at \(path(context.codingPath))"
        default: return "\(error)"
        }
    }

    @Test(arguments: [
        #"{"value":1,"registers":[]}"#,
        #"{"meter":"M","value":"1","registers":[]}"#,
        #"{"meter":"M","value":null,"registers":[]}"#,
        #"{"meter":"M","value":1,"registers":{}}"#,
        #"{"meter":"M","value":1,"registers":[{"code":"T1","reading":1},{"code":7,"reading":2}]}"#,
        #"{"meter":"M","value":1,"registers":[{"code":"T1"}]}"#,
        #"{"meter":"M","value":1,"registers":[null]}"#,
        #"[]"#,
        #""meter""#,
    ])
    func aBodyThatDoesNotFitIsRefusedAtTheSameField(_ body: String) {
        let foundation = #expect(throws: (any Error).self) { try Self.foundationDecoder().decode(Reading.self, from: Data(body.utf8)) }
        let ours = #expect(throws: (any Error).self) { try JSONBody.decode(Reading.self, from: body) }
        #expect(ours.map(Self.summary) == foundation.map(Self.summary), "\(body)")
    }

    /// Foundation's decoder gives no path for a number its type cannot hold, so the refusal
    /// could only say the body was wrong; this one names the field.
    @Test(arguments: [
        (#"{"meter":"M","value":1.5,"registers":[]}"#, "value"), (#"{"meter":"M","value":1,"dials":300,"registers":[]}"#, "dials"),
        (#"{"meter":"M","value":1,"dials":-1,"registers":[]}"#, "dials"), (#"{"meter":"M","value":99999999999999999999,"registers":[]}"#, "value"),
        (#"{"meter":"M","value":1,"registers":[{"code":"T1","reading":1e999}]}"#, "registers.[0].reading"),
    ])
    func aNumberThatDoesNotFitItsTypeIsRefusedAtItsField(_ body: String, _ field: String) {
        let foundation = #expect(throws: (any Error).self) { try Self.foundationDecoder().decode(Reading.self, from: Data(body.utf8)) }
        let ours = #expect(throws: (any Error).self) { try JSONBody.decode(Reading.self, from: body) }
        #expect(foundation.map(Self.summary) == "data corrupted at ")
        #expect(ours.map(Self.summary) == "data corrupted at \(field)")
    }

    @Test func textThatIsNotJSONNamesWhereItWentWrong() {
        for (bad, offset) in [(#"{"meter":"M","value":"#, 21), ("[1 2]", 3), (#"{"a":1,}"#, 7), ("01", 0), ("\"tab\u{09}here\"", 4)] {
            #expect("\(bad)") { try JSONBody.decode(JSONValue.self, from: bad) } throws: { error in
                guard case .dataCorrupted(let context)? = error as? DecodingError, let syntax = context.underlyingError as? JSONSyntaxError else {
                    return false
                }
                return context.codingPath.isEmpty && syntax.offset == offset
            }
        }
        // Text that is not UTF-8 is refused, not repaired.
        #expect(throws: DecodingError.self) { try JSONBody.decode(String.self, from: [0x22, 0xFF, 0x22]) }
    }
}

/// One contract type, written and read by both coders.
struct BodyCase: CustomTestStringConvertible, Sendable {
    let type: String
    let encoded: @Sendable () throws -> (ours: [UInt8], foundations: Data)
    let readBack: @Sendable (Data) throws -> Data

    init(_ contract: any MessageContract.Type) {
        type = contract.type
        encoded = { try Self.encode(contract) }
        readBack = { try Self.readBack(contract, $0) }
    }

    static func encode<M: MessageContract>(_ contract: M.Type) throws -> (ours: [UInt8], foundations: Data) {
        (try JSONBody.encode(M.example), try JSONBodyTests.foundationEncoder().encode(M.example))
    }

    static func readBack<M: MessageContract>(_ contract: M.Type, _ data: Data) throws -> Data {
        try JSONBodyTests.foundationEncoder().encode(try JSONBody.decode(M.self, from: data))
    }

    var testDescription: String { type }
}
