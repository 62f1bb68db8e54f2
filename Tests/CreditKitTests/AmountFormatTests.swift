import Testing
@testable import CreditKit

/// `AmountFormat`: display of credits and money, all in integers.
@Suite struct AmountFormatTests {
    @Test(arguments: [
        (Int64(0), "0"), (7, "7"), (999, "999"), (1_000, "1,000"), (10_000, "10,000"), (999_999, "999,999"),
        (1_234_567, "1,234,567"), (-1_234_567, "-1,234,567"), (-999, "-999"),
        (.max, "9,223,372,036,854,775,807"), (.min, "-9,223,372,036,854,775,808"),
    ])
    func grouped(value: Int64, text: String) {
        #expect(AmountFormat.grouped(value) == text)
    }

    @Test(arguments: [(Int64(500), "+500"), (-6, "-6"), (0, "0"), (2_200, "+2,200"), (-10_000, "-10,000")])
    func signed(value: Int64, text: String) {
        #expect(AmountFormat.signed(value) == text)
    }

    @Test(arguments: [
        (Cents(5_000), "$50.00", "$50"), (5, "$0.05", "$0.05"), (50, "$0.50", "$0.50"), (0, "$0.00", "$0"),
        (123_456, "$1,234.56", "$1,234.56"), (-250, "-$2.50", "-$2.50"), (80_000, "$800.00", "$800"),
        (-100, "-$1.00", "-$1"), (1_000_000_00, "$1,000,000.00", "$1,000,000"),
    ])
    func dollars(cents: Cents, full: String, short: String) {
        #expect(AmountFormat.dollars(cents) == full)
        #expect(AmountFormat.dollarsShort(cents) == short)
    }

    @Test(arguments: [
        (Cents(5_000), Credits(500), "0.100"), (20_000, 2_200, "0.091"), (40_000, 4_800, "0.083"),
        (80_000, 10_000, "0.080"), (1_000, 100, "0.100"), (2_700, 300, "0.090"), (4_800, 600, "0.080"),
        (1, 3, "0.003"), (2, 3, "0.007"), (10_000, 1, "100.000"), (0, 10, "0.000"), (1_234, 1, "12.340"),
        (5, 0, "—"),
    ])
    func perCredit(price: Cents, credits: Credits, text: String) {
        #expect(AmountFormat.perCredit(priceCents: price, credits: credits) == text)
    }

    @Test func checkedArithmeticReportsOverflow() {
        #expect(AmountFormat.checkedSum(1, 2) == 3)
        #expect(AmountFormat.checkedSum(.max, 1) == nil)
        #expect(AmountFormat.checkedSum(.min, -1) == nil)
        #expect(AmountFormat.checkedProduct(3_000_000_000, 3_000_000_000) == 9_000_000_000_000_000_000)
        #expect(AmountFormat.checkedProduct(4_000_000_000, 4_000_000_000) == nil)
        #expect(AmountFormat.checkedProduct(-2, 5) == -10)
    }

    @Test("Counts agree with their noun: 1 credit, 0 credits, -1 credit, 1 batch, 3 batches")
    func countsAgreeWithTheirNoun() {
        #expect(CountText.credits(1) == "1 credit" && CountText.credits(0) == "0 credits" && CountText.credits(2) == "2 credits")
        #expect(CountText.credits(1_000) == "1,000 credits" && CountText.credits(-1) == "-1 credit")
        #expect(CountText.signedCredits(-1) == "-1 credit" && CountText.signedCredits(1) == "+1 credit" && CountText.signedCredits(-6) == "-6 credits")
        #expect(CountText.count(1, "batch", "batches") == "1 batch" && CountText.count(3, "batch", "batches") == "3 batches")
        #expect(Rejection.reversalExceedsBalance(seq: 3, credits: 1, balance: 0).message.contains("takes 1 credit, the balance is 0"))
        #expect(Rejection.voidUncoversHolds(seq: 3, remaining: 1, available: 0).message.contains("takes 1 credit, only 0 are not held"))
    }
}
