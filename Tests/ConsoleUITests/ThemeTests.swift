import Testing
@testable import ConsoleUI

/// Theme files: the shipped ones load cleanly; mistakes load with warnings, never fail.
@Suite struct ThemeTests {
    @Test func defaultFileIsTheBuiltInTheme() throws {
        let theme = Theme.parse(try PackageFiles.theme("default"), name: "default")
        #expect(theme.warnings.isEmpty)
        for token in StyleToken.allCases {
            #expect(theme.look(token) == Theme.standard.look(token), "token \(token.key)")
        }
    }

    @Test func defaultFileDocumentsEveryToken() throws {
        let text = try PackageFiles.theme("default")
        for token in StyleToken.allCases {
            #expect(text.contains("\n\(token.key) = "), "token \(token.key) is not in default.theme")
        }
    }

    @Test(arguments: Theme.shippedNames)
    func shippedThemesLoadWithoutWarnings(name: String) throws {
        let theme = Theme.parse(try PackageFiles.theme(name), name: name)
        #expect(theme.warnings.isEmpty, "\(theme.warnings)")
        #expect(theme.look(.badgeCritical) != theme.look(.badgeComfortable))
    }

    @Test func unknownKeyAndBadValueLoadWithWarnings() {
        let text = """
        # a comment
        selection = 21/blue on 231 bold | reverse
        bogus = red
        badge_low = purple
        badge_critical = 300
        error = red on
        success = green sparkly
        no equals sign here
        """
        let theme = Theme.parse(text, name: "mine")
        #expect(theme.look(.selection).foreground == .indexed(21))
        #expect(theme.look(.selection).foreground16 == .indexed(4))
        #expect(theme.look(.selection).background == .indexed(231))
        #expect(theme.look(.selection).attributes == .bold)
        #expect(theme.look(.selection).monoAttributes == .reverse)
        #expect(theme.warnings.count == 6)
        #expect(theme.warnings[0] == "mine line 3: unknown key \"bogus\"")
        #expect(theme.warnings[1].hasPrefix("mine line 4: badge_low: bad colour"))
        #expect(theme.look(.badgeLow) == Theme.standard.look(.badgeLow))
    }

    @Test func colourFallsBackToTheNearestOfSixteen() {
        #expect(ThemeColor.indexed(196).basic == .indexed(9))
        #expect(ThemeColor.indexed(40).basic == .indexed(10))
        #expect(ThemeColor.indexed(244).basic == .indexed(8))
        #expect(ThemeColor.indexed(3).basic == .indexed(3))
        #expect(ThemeColor.terminalDefault.basic == .terminalDefault)
    }
}

/// The Grid and cell widths: wide characters take two cells, nothing writes outside.
@Suite struct GridTests {
    @Test func widthsFollowEastAsianWidth() {
        #expect(CellWidth.of("abc") == 3)
        #expect(CellWidth.of("漢字") == 4)
        #expect(CellWidth.of("é") == 1)
        #expect(CellWidth.of("e\u{301}") == 1)
        #expect(CellWidth.of("●▲✖─│") == 5)
        #expect(CellWidth.of("😀") == 2)
    }

    @Test("a joined emoji sequence is drawn as each of its people, two cells each, so what follows stays in place")
    func aJoinedEmojiSequenceTakesACellPairPerPerson() {
        let family = "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}"
        #expect(CellWidth.of(family) == 8)
        #expect(CellWidth.pieces(of: Character(family)).map(\.text) == ["\u{1F469}", "\u{1F469}", "\u{1F467}", "\u{1F466}"])
        #expect(CellWidth.pieces(of: Character("e\u{301}")).map(\.text) == ["e\u{301}"], "combining marks stay with their letter")
        #expect(CellWidth.pieces(of: Character("\u{2764}\u{FE0F}")).map(\.text) == ["\u{2764}"] && CellWidth.of("\u{2764}\u{FE0F}") == 1,
                "a variation selector is dropped: the heart takes the one cell wcwidth gives it")
        var grid = Grid(width: 12, height: 1)
        let used = grid.put(family + "ok", x: 0, y: 0, style: .normal)
        #expect(used == 10)
        #expect(grid[0, 0].text == "\u{1F469}" && grid[6, 0].text == "\u{1F466}" && grid[8, 0].text == "o" && grid[9, 0].text == "k")
    }

    @Test("flags and skin tones stay distinguishable: a flag as its two regional indicators, a tone as its mark")
    func flagsAndSkinTonesStayDistinguishable() {
        let first = "ana\u{1F1E9}\u{1F1EA}\u{1F44D}\u{1F3FD}", second = "ana\u{1F1E9}\u{1F1F0}\u{1F44D}\u{1F3FF}"
        #expect(CellWidth.of(first) == 3 + 2 + 3 && CellWidth.of(second) == 8)
        var grid = Grid(width: 10, height: 2)
        #expect(grid.put(first + "|", x: 0, y: 0, style: .normal) == 9)
        #expect(grid.put(second + "|", x: 0, y: 1, style: .normal) == 9)
        #expect(grid.line(0) != grid.line(1), "\(grid.line(0)) / \(grid.line(1))")
        #expect(grid[8, 0].text == "|" && grid[8, 1].text == "|", "the rest of each line stays in place")
        #expect(grid.line(0).hasPrefix("ana\u{1F1E9}\u{1F1EA}\u{1F44D}\u{2074}"), "\(grid.line(0))")
    }

    @Test func wideCharactersAreNotSplitAtTheEdge() {
        var grid = Grid(width: 5, height: 1)
        let used = grid.put("ab漢字", x: 0, y: 0, style: .normal)
        #expect(used == 4)
        #expect(grid.line(0) == "ab漢 ")
        #expect(grid[3, 0].text == "")
    }

    @Test func writesOutsideAreClipped() {
        var grid = Grid(width: 3, height: 2)
        grid.put("hello", x: -2, y: 0, style: .normal)
        grid.put("x", x: 9, y: 9, style: .normal)
        grid.fill(x: -5, y: -5, width: 100, height: 1, style: .dim)
        #expect(grid.text == "llo\n")
        var empty = Grid(width: -1, height: -4)
        empty.put("x", x: 0, y: 0, style: .normal)
        #expect(empty.text == "")
    }

    @Test func cursorStaysInRangeForAnyListAndView() {
        var cursor = ListCursor()
        cursor.move(by: 5, count: 0, visible: 0)
        #expect(cursor == ListCursor(selected: 0, scroll: 0))
        cursor.move(by: Int.max, count: 10, visible: 3)
        #expect(cursor == ListCursor(selected: 9, scroll: 7))
        cursor.scroll(by: -100, count: 10, visible: 3)
        #expect(cursor.scroll == 0 && cursor.selected == 2)
    }
}
