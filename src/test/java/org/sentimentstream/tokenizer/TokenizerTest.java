package org.sentimentstream.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of docs/TOKENIZER.md, one behaviour per test, written from the specification. */
class TokenizerTest {

    private final Tokenizer tokenizer = new Tokenizer();

    private List<String> tokens(String text) {
        return tokenizer.tokenize(text);
    }

    @Test
    void shouldLowerCaseAndSplitWordsOnSpaces() {
        assertThat(tokens("Hello  World")).containsExactly("hello", "world");
        assertThat(tokens("ÉCOLE Straße")).containsExactly("école", "straße");
    }

    @Test
    void shouldProduceNoTokenForEmptyWhitespaceOrInvisibleText() {
        assertThat(tokens("")).isEmpty();
        assertThat(tokens(" \t\r\n\u00A0\u3000\u2028\u2029")).isEmpty();
        assertThat(tokens("\u200B\u200D\uFEFF\u200E\u200F\uFE0F")).isEmpty();
    }

    @Test
    void shouldTreatControlCharactersAsSpaces() {
        assertThat(tokens("a\tb\nc\r\nd\u0000e\u0085f\u007Fg")).containsExactly("a", "b", "c", "d", "e", "f", "g");
    }

    @Test
    void shouldRemoveFormatCharactersInsideWords() {
        assertThat(tokens("a\u200Bb\u00ADc")).containsExactly("abc");
        assertThat(tokens("wo\u200Drd")).containsExactly("word");
    }

    @Test
    void shouldReplaceUrlsUpToTheNextSpace() {
        assertThat(tokens("see https://t.co/AbC?x=1 now")).containsExactly("see", "<url>", "now");
        assertThat(tokens("HTTP://EXAMPLE.COM")).containsExactly("<url>");
        assertThat(tokens("www.example.com/path,more")).containsExactly("<url>");
        assertThat(tokens("(http://a.b/c)")).containsExactly("(", "<url>");
        assertThat(tokens("http://a\tb")).containsExactly("<url>", "b");
    }

    @Test
    void shouldNotTreatIncompleteUrlPrefixesAsUrls() {
        assertThat(tokens("http:/x")).containsExactly("http", ":", "/", "x");
        assertThat(tokens("wwwx")).containsExactly("wwx");
        assertThat(tokens("awww.x")).containsExactly("aww", ".", "x");
    }

    @Test
    void shouldReplaceMentionsOfWordRuns() {
        assertThat(tokens("@John_Doe99 hi")).containsExactly("<user>", "hi");
        assertThat(tokens("a@b")).containsExactly("a", "<user>");
        assertThat(tokens("@bob's")).containsExactly("<user>", "'", "s");
    }

    @Test
    void shouldKeepAtSignsNotFollowedByAWordCodePoint() {
        assertThat(tokens("@ alone")).containsExactly("@", "alone");
        assertThat(tokens("@@x")).containsExactly("@@", "x");
        assertThat(tokens("@東京")).containsExactly("@", "東", "京");
    }

    @Test
    void shouldEndMentionsAtCjkCharacters() {
        assertThat(tokens("@abc東")).containsExactly("<user>", "東");
    }

    @Test
    void shouldEmitHashtagMarkerAndThenTheWord() {
        assertThat(tokens("#Happy day")).containsExactly("<hashtag>", "happy", "day");
        assertThat(tokens("#1")).containsExactly("<hashtag>", "<number>");
        assertThat(tokens("# x")).containsExactly("#", "x");
        assertThat(tokens("##tag")).containsExactly("##", "tag");
    }

    @Test
    void shouldDecodeNamedHtmlEntitiesOnce() {
        assertThat(tokens("Tom &amp; Jerry")).containsExactly("tom", "&", "jerry");
        assertThat(tokens("&lt;3 &gt; &quot;hi&quot; &apos;"))
                .containsExactly("<", "<number>", ">", "\"", "hi", "\"", "'");
        assertThat(tokens("&amp;lt;")).containsExactly("&", "lt", ";");
        assertThat(tokens("a&nbsp;b")).containsExactly("a", "b");
    }

    @Test
    void shouldLeaveUnknownOrMalformedEntitiesAsTheyAre() {
        assertThat(tokens("&AMP;")).containsExactly("&", "amp", ";");
        assertThat(tokens("&amp")).containsExactly("&", "amp");
        assertThat(tokens("&foo;")).containsExactly("&", "foo", ";");
    }

    @Test
    void shouldDecodeNumericCharacterReferences() {
        assertThat(tokens("&#65;&#x42;&#X43;")).containsExactly("abc");
        assertThat(tokens("&#128514;&#x1F602;")).containsExactly("😂😂");
        assertThat(tokens("&#0000065;")).containsExactly("a");
        assertThat(tokens("&#x10FFFF;")).containsExactly("\uDBFF\uDFFF");
    }

    @Test
    void shouldLeaveNumericReferencesOutOfRangeOrTooLongAsTheyAre() {
        assertThat(tokens("&#0;")).containsExactly("&", "<hashtag>", "<number>", ";");
        assertThat(tokens("&#xD800;")).containsExactly("&", "<hashtag>", "xd800", ";");
        assertThat(tokens("&#x110000;")).containsExactly("&", "<hashtag>", "x1100", ";");
        assertThat(tokens("&#12345678;")).containsExactly("&", "<hashtag>", "<number>", ";");
        assertThat(tokens("&#x0000041;")).containsExactly("&", "<hashtag>", "x0041", ";");
        assertThat(tokens("&#;")).containsExactly("&", "#", ";");
    }

    @Test
    void shouldNormaliseWithNfkc() {
        assertThat(tokens("Cafe\u0301")).containsExactly("café");
        assertThat(tokens("\uFB01ne")).containsExactly("fine");
        assertThat(tokens("\uFF28\uFF49 １２")).containsExactly("hi", "<number>");
        assertThat(tokens("x²")).containsExactly("x2");
    }

    @Test
    void shouldLowerCaseWithoutLocale() {
        assertThat(tokens("İ")).containsExactly("i\u0307");
        assertThat(tokens("ΟΔΟΣ")).containsExactly("οδος");
    }

    @Test
    void shouldEmitNumberForDigitRunsWithSingleSeparators() {
        assertThat(tokens("1,000.50")).containsExactly("<number>");
        assertThat(tokens("100000")).containsExactly("<number>");
        assertThat(tokens("3.14.")).containsExactly("<number>", ".");
        assertThat(tokens("1..2")).containsExactly("<number>", "..", "<number>");
        assertThat(tokens("0.5%")).containsExactly("<number>", "%");
        assertThat(tokens("٣٤")).containsExactly("<number>");
        assertThat(tokens(".5")).containsExactly(".", "<number>");
    }

    @Test
    void shouldKeepDigitsMixedWithLettersAsWords() {
        assertThat(tokens("2nd")).containsExactly("2nd");
        assertThat(tokens("1.5x")).containsExactly("1.5x");
        assertThat(tokens("v1.2")).containsExactly("v1", ".", "<number>");
        assertThat(tokens("1000a")).containsExactly("100a");
        assertThat(tokens("a.b")).containsExactly("a", ".", "b");
    }

    @Test
    void shouldJoinApostrophesBetweenWordCodePoints() {
        assertThat(tokens("can't")).containsExactly("can't");
        assertThat(tokens("Don’t")).containsExactly("don't");
        assertThat(tokens("rock'n'roll")).containsExactly("rock'n'roll");
        assertThat(tokens("90's")).containsExactly("90's");
    }

    @Test
    void shouldSplitApostrophesOutsideWords() {
        assertThat(tokens("'quoted'")).containsExactly("'", "quoted", "'");
        assertThat(tokens("dogs' ")).containsExactly("dogs", "'");
        assertThat(tokens("it''s")).containsExactly("it", "''", "s");
        assertThat(tokens("’’’")).containsExactly("’’");
    }

    @Test
    void shouldShortenElongatedWords() {
        assertThat(tokens("Loooove")).containsExactly("loove");
        assertThat(tokens("soooo gooood")).containsExactly("soo", "good");
        assertThat(tokens("aaa ___")).containsExactly("aa", "__");
        assertThat(tokens("ooh")).containsExactly("ooh");
    }

    @Test
    void shouldCollapseSymbolRunsToTwo() {
        assertThat(tokens("!!!")).containsExactly("!!");
        assertThat(tokens("!")).containsExactly("!");
        assertThat(tokens("?!")).containsExactly("?", "!");
        assertThat(tokens("...")).containsExactly("..");
        assertThat(tokens(":)")).containsExactly(":", ")");
    }

    @Test
    void shouldNotProduceReservedTokensFromText() {
        assertThat(tokens("<url> <pad>")).containsExactly("<", "url", ">", "<", "pad", ">");
    }

    @Test
    void shouldEmitEachCjkCharacterAlone() {
        assertThat(tokens("日本語テキスト")).containsExactly("日", "本", "語", "テ", "キ", "ス", "ト");
        assertThat(tokens("ははは")).containsExactly("はは");
        assertThat(tokens("東京tower")).containsExactly("東", "京", "tower");
        assertThat(tokens("\uD840\uDC0B")).containsExactly("\uD840\uDC0B");
    }

    @Test
    void shouldKeepNonCjkScriptsAsWords() {
        assertThat(tokens("안녕하세요 мир")).containsExactly("안녕하세요", "мир");
    }

    @Test
    void shouldSplitEmojiSequencesJoinedByZeroWidthJoiner() {
        assertThat(tokens("👨\u200D👩\u200D👧")).containsExactly("👨", "👩", "👧");
    }

    @Test
    void shouldDropSkinTonesAndVariationSelectorsFromEmoji() {
        assertThat(tokens("👍🏽👍")).containsExactly("👍👍");
        assertThat(tokens("❤️")).containsExactly("❤");
        assertThat(tokens("❤️❤️❤️")).containsExactly("❤❤");
        assertThat(tokens("😂😂😂")).containsExactly("😂😂");
    }

    @Test
    void shouldReplaceUnpairedSurrogatesWithReplacementCharacter() {
        assertThat(tokens("a\uD800b")).containsExactly("a", "\uFFFD", "b");
        assertThat(tokens("\uDC00\uDC00")).containsExactly("\uFFFD\uFFFD");
        assertThat(tokens("x\uDBFF")).containsExactly("x", "\uFFFD");
        assertThat(tokens("\uD83D\uDE02")).containsExactly("😂");
    }

    @Test
    void shouldTokenizeATypicalTweet() {
        assertThat(tokens("I LOVE it!!! :) http://x.co #blessed @bob"))
                .containsExactly("i", "love", "it", "!!", ":", ")", "<url>", "<hashtag>", "blessed", "<user>");
    }
}
