import Testing
@testable import ConsoleUI
import CreditKit

/// The workspace chart's drawing: braille dots in Unicode, `*` in ASCII, reference lines where
/// the line does not pass, and spend sparklines scaled to the largest week.
@Suite struct ChartTests {
    func drawn(_ chart: LineChart, width: Int, height: Int, ascii: Bool) -> Grid {
        var grid = Grid(width: width, height: height)
        chart.draw(&grid, in: Rect(x: 0, y: 0, width: width, height: height), glyphs: Glyphs(ascii: ascii))
        return grid
    }

    @Test func aFallingSeriesInASCIIRunsFromTopLeftToBottomRight() {
        let chart = LineChart(values: [300, 200, 100, 0], references: [], lineStyle: .normal)
        let grid = drawn(chart, width: 8, height: 4, ascii: true)
        #expect(grid.line(0) == "300 *   ")
        #expect(grid.line(1) == "     *  ")
        #expect(grid.line(2) == "      * ")
        #expect(grid.line(3) == "  0    *")
    }

    @Test func daysBeforeTheFirstEntryAreLeftEmpty() {
        let chart = LineChart(values: [nil, nil, 100, 100], references: [], lineStyle: .normal)
        let grid = drawn(chart, width: 8, height: 2, ascii: true)
        #expect(grid.line(0) == "100   **")
        #expect(grid.line(1) == "  0     ")
    }

    @Test func aFlatSeriesInBrailleInksTheBottomDotRowOfEachCell() {
        let chart = LineChart(values: [0, 0], references: [], lineStyle: .normal)
        let grid = drawn(chart, width: 5, height: 2, ascii: false)
        // Dots 7 and 8 (the bottom row of a braille cell) are U+2840 | U+2880 = U+28C0.
        #expect(grid.line(1) == "0 ⣀⣀⣀")
    }

    @Test func aReferenceLineIsDrawnOnlyWhereTheSeriesDoesNotPass() {
        let chart = LineChart(values: [100, 100, 100, 100, 0, 0, 0, 0], references: [.init(value: 50, style: .badgeLow)],
                              lineStyle: .normal)
        let grid = drawn(chart, width: 12, height: 3, ascii: true)
        #expect(grid.line(1) == "    ----*---", "the drop crosses the line once; the rest of the row is the reference")
        #expect(grid.styles(1)[4] == .badgeLow)
    }

    @Test func sparklinesScaleToTheLargestWeekAndLeaveEmptyWeeksBlank() {
        var spend = WeeklySpend(entries: [], weeks: 3, now: Timestamp(secondsSinceEpoch: 0))
        spend.rows = [.init(person: "maria", weeks: [0, 8, 1])]
        var grid = Grid(width: 20, height: 1)
        SpendSparklines(spend: spend).draw(&grid, in: Rect(x: 0, y: 0, width: 20, height: 1), glyphs: Glyphs(ascii: false))
        #expect(grid.line(0) == "maria ·█▂ 9 cr      ")
    }
}
