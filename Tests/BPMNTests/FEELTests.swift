import BPMN
import Contracts
import Testing

/// FEEL as the DMN 1.3 specification (chapter 10) defines it, for the subset process models use.
@Suite struct FEELTests {
    let variables: [String: JSONValue] = [
        "amount": .number(120), "customer": .object(["name": .string("Sara"), "address": .object(["region": .string("north")])]),
        "readings": .array([.number(3), .number(8), .number(5)]), "approved": .bool(true), "nothing": .null,
        "meters": .array([.object(["serial": .string("A1"), "dials": .number(5)]), .object(["serial": .string("B2"), "dials": .number(6)])]),
        "Vacation Approval": .string("Approved"),
    ]
    let now = 1_767_603_600.0  // 2026-01-05T09:00:00Z, a Monday

    func eval(_ text: String) throws -> FEELValue { try Expression.feel(text).evaluate(variables, now: now) }
    func json(_ text: String) throws -> JSONValue { try eval(text).json }

    @Test func literalsAndPaths() throws {
        #expect(try eval("42") == .number(42))
        #expect(try eval("\"a\\\"b\"") == .string("a\"b"))
        #expect(try eval("customer.address.region") == .string("north"))
        #expect(try eval("customer.phone") == .null)
        #expect(try eval("unknown.deeper.path") == .null)
        #expect(try json("meters.serial") == .array([.string("A1"), .string("B2")]))
        #expect(try json("{a: 1, b: a + 1}") == .object(["a": .number(1), "b": .number(2)]))
        #expect(try eval("Vacation Approval = \"Approved\"") == .bool(true))
    }

    @Test func arithmeticAndComparison() throws {
        #expect(try eval("1 + 2 * 3") == .number(7))
        #expect(try eval("(1 + 2) * 3") == .number(9))
        #expect(try eval("2 ** 10") == .number(1024))
        #expect(try eval("-amount / 4") == .number(-30))
        #expect(try eval("10 / 0") == .null)
        #expect(try eval("\"con\" + \"nection\"") == .string("connection"))
        #expect(try eval("amount > 100 and amount <= 120") == .bool(true))
        #expect(try eval("amount != 120") == .bool(false))
        #expect(try eval("\"b\" > \"a\"") == .bool(true))
        #expect(try eval("amount between 100 and 200") == .bool(true))
    }

    @Test func nullSemantics() throws {
        #expect(try eval("nothing + 1") == .null)
        #expect(try eval("nothing > 1") == .null)
        #expect(try eval("nothing = null") == .bool(true))
        #expect(try eval("amount = null") == .bool(false))
        #expect(try eval("1 = \"1\"") == .null)  // different types do not compare
        #expect(try eval("\"x\" < 1") == .null)
        #expect(try eval("true and nothing") == .null)
        #expect(try eval("false and nothing") == .bool(false))
        #expect(try eval("true or nothing") == .bool(true))
        #expect(try eval("not(nothing)") == .null)
        #expect(try eval("if nothing then 1 else 2") == .number(2))
    }

    @Test func inListsRangesAndUnaryTests() throws {
        #expect(try eval("customer.address.region in [\"north\", \"east\"]") == .bool(true))
        #expect(try eval("5 in [1..5]") == .bool(true))
        #expect(try eval("5 in [1..5)") == .bool(false))
        #expect(try eval("amount in > 100") == .bool(true))
        #expect(try eval("amount in (< 10, > 100)") == .bool(true))
        #expect(try eval("3 in (1, 2)") == .bool(false))
    }

    @Test func listsFiltersAndQuantifiers() throws {
        #expect(try eval("readings[1]") == .number(3))
        #expect(try eval("readings[-1]") == .number(5))
        #expect(try json("readings[item > 4]") == .array([.number(8), .number(5)]))
        #expect(try json("meters[dials > 5].serial") == .array([.string("B2")]))
        #expect(try json("for r in readings return r * 2") == .array([.number(6), .number(16), .number(10)]))
        #expect(try eval("some r in readings satisfies r > 7") == .bool(true))
        #expect(try eval("every r in readings satisfies r > 7") == .bool(false))
        #expect(try eval("count(readings)") == .number(3))
        #expect(try eval("sum(readings)") == .number(16))
        #expect(try eval("max(readings)") == .number(8))
        #expect(try eval("min(4, 2, 9)") == .number(2))
        #expect(try eval("mean([2, 4])") == .number(3))
        #expect(try eval("list contains(readings, 8)") == .bool(true))
        #expect(try json("append([1], 2)") == .array([.number(1), .number(2)]))
        #expect(try json("distinct values([1, 1, 2])") == .array([.number(1), .number(2)]))
        #expect(try json("sort([3, 1, 2])") == .array([.number(1), .number(2), .number(3)]))
        #expect(try eval("index of([\"a\", \"b\"], \"b\")") == .list([.number(2)]))
    }

    @Test func stringAndNumberFunctions() throws {
        #expect(try eval("string length(\"meter\")") == .number(5))
        #expect(try eval("upper case(customer.name)") == .string("SARA"))
        #expect(try eval("substring(\"EM-12345\", 4)") == .string("12345"))
        #expect(try eval("substring(\"EM-12345\", 1, 2)") == .string("EM"))
        #expect(try eval("substring before(\"EM-1\", \"-\")") == .string("EM"))
        #expect(try eval("starts with(\"EM-1\", \"EM\")") == .bool(true))
        #expect(try eval("matches(\"EM-12345\", \"^EM-[0-9]+$\")") == .bool(true))
        #expect(try eval("replace(\"a-b-c\", \"-\", \"/\")") == .string("a/b/c"))
        #expect(try json("split(\"a,b\", \",\")") == .array([.string("a"), .string("b")]))
        #expect(try eval("string(12)") == .string("12"))
        #expect(try eval("number(\"12.5\")") == .number(12.5))
        #expect(try eval("decimal(1.005, 2)") == .number(1.0))  // binary 1.005 is just below
        #expect(try eval("round half up(2.5, 0)") == .number(3))
        #expect(try eval("floor(-1.5)") == .number(-2))
        #expect(try eval("ceiling(1.2)") == .number(2))
        #expect(try eval("modulo(-7, 3)") == .number(2))
        #expect(try eval("is defined(customer.phone)") == .bool(false))
        #expect(try eval("get value(customer, \"name\")") == .string("Sara"))
    }

    @Test func datesTimesAndDurations() throws {
        #expect(try json("date(\"2026-12-01\") + duration(\"P30D\")") == .string("2026-12-31"))
        #expect(try json("date(\"2026-01-31\") + duration(\"P1M\")") == .string("2026-02-28"))
        #expect(try json("date and time(\"2026-12-01T10:00:00Z\") + duration(\"PT90M\")") == .string("2026-12-01T11:30:00Z"))
        #expect(try json("date and time(\"2026-12-01T10:00:00+03:30\")") == .string("2026-12-01T10:00:00+03:30"))
        #expect(try json("date(\"2026-12-25\") - date(\"2026-12-01\")") == .string("P24D"))
        #expect(try eval("(date(\"2026-12-25\") - date(\"2026-12-01\")).days") == .number(24))
        #expect(try json("years and months duration(date(\"2020-03-15\"), date(\"2026-12-01\"))") == .string("P6Y8M"))
        #expect(try eval("date(\"2026-12-01\") > date(\"2026-11-30\")") == .bool(true))
        #expect(try eval("date(\"2026-12-01\").month") == .number(12))
        #expect(try eval("day of week(date(\"2026-12-01\"))") == .string("Tuesday"))
        #expect(try json("today()") == .string("2026-01-05"))
        #expect(try json("now() + duration(\"P2D\")") == .string("2026-01-07T09:00:00Z"))
        #expect(try json("@\"P1DT2H\" * 2") == .string("P2DT4H"))
        #expect(try eval("date(\"2026-02-30\")") == .null)
        #expect(try eval("date(2026, 12, 1) = @\"2026-12-01\"") == .bool(true))
    }

    @Test func camunda7ConditionsUseTheSameSubset() throws {
        let condition = try Expression.attribute("${amount > 100 && approved == true}")
        #expect(condition.evaluate(variables, now: now) == .bool(true))
        let negated = try Expression.attribute("${!approved || customer.name eq 'Sara'}")
        #expect(negated.evaluate(variables, now: now) == .bool(true))
        #expect(try Expression.attribute("=amount * 2").evaluate(variables, now: now) == .number(240))
        #expect(try Expression.attribute("registration-clerk").evaluate(variables, now: now) == .string("registration-clerk"))
    }

    @Test func syntaxErrorsSayWhere() {
        for (text, reason) in [
            ("amount >", "unexpected end of expression"), ("(1 + 2", "expected \")\""), ("unknownFunction(1)", "unknown function"),
            ("\"open", "string is not closed"), ("1 # 2", "unexpected character"), ("substring(\"a\")", "does not take 1 argument"),
        ] {
            do {
                _ = try Expression.feel(text)
                Issue.record("\(text) was accepted")
            } catch {
                #expect(error.description.contains(reason), "\(text): \(error)")
            }
        }
    }
}
