package org.sentimentstream.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokenizer specification {@code sentiment-tokenizer/1} (docs/TOKENIZER.md): surrogate repair,
 * HTML entities, NFKC, lower case, removal of ignored code points, then a scanner over code points
 * that emits words, numbers, placeholders ({@code <url>}, {@code <user>}, {@code <hashtag>},
 * {@code <number>}), CJK characters and symbol runs. Stateless and thread-safe.
 */
public final class Tokenizer {

    /** The specification this class implements, as written in the model metadata. */
    public static final String SPECIFICATION = "sentiment-tokenizer/1";

    public static final String URL = "<url>";
    public static final String USER = "<user>";
    public static final String HASHTAG = "<hashtag>";
    public static final String NUMBER = "<number>";

    private static final int[][] URL_PREFIXES = {
        "http://".codePoints().toArray(),
        "https://".codePoints().toArray(),
        "www.".codePoints().toArray()
    };

    /** Splits a text into tokens (steps 1 to 6 of the specification). */
    public List<String> tokenize(String text) {
        String normalized = normalize(text);
        int[] codePoints = new int[normalized.length()];
        CodePointClass[] classes = new CodePointClass[normalized.length()];
        int n = 0;
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            CodePointClass cls = CodePointClass.of(cp);
            if (cls != CodePointClass.IGNORED) {
                codePoints[n] = cp;
                classes[n] = cls;
                n++;
            }
        }
        return new Scan(codePoints, classes, n).run();
    }

    /** Steps 1 to 4: surrogates, HTML entities, NFKC, lower case. */
    static String normalize(String text) {
        String repaired = replaceUnpairedSurrogates(text);
        String decoded = HtmlEntityDecoder.decode(repaired);
        // ASCII text is already in NFKC: skip the normaliser on the common case.
        String nfkc = isAscii(decoded) ? decoded : Normalizer.normalize(decoded, Normalizer.Form.NFKC);
        return nfkc.toLowerCase(Locale.ROOT);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static String replaceUnpairedSurrogates(String text) {
        StringBuilder out = null;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean paired =
                    Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(length).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** The scanner of section 3 over one prepared text. */
    private static final class Scan {
        private final int[] cps;
        private final CodePointClass[] classes;
        private final int n;
        private final List<String> tokens = new ArrayList<>();

        Scan(int[] cps, CodePointClass[] classes, int n) {
            this.cps = cps;
            this.classes = classes;
            this.n = n;
        }

        List<String> run() {
            int i = 0;
            while (i < n) {
                i = next(i);
            }
            return tokens;
        }

        /** Emits the token starting at {@code i} (if any) and returns the position after it. */
        private int next(int i) {
            CodePointClass cls = classes[i];
            if (cls == CodePointClass.SPACE) {
                return i + 1;
            }
            if (startsWithUrlPrefix(i)) {
                int end = i;
                while (end < n && classes[end] != CodePointClass.SPACE) {
                    end++;
                }
                tokens.add(URL);
                return end;
            }
            if (cps[i] == '@' && isWordAt(i + 1)) {
                int end = i + 1;
                while (isWordAt(end)) {
                    end++;
                }
                tokens.add(USER);
                return end;
            }
            if (cps[i] == '#' && isWordAt(i + 1)) {
                tokens.add(HASHTAG);
                return i + 1;
            }
            if (cls.isWord()) {
                return word(i);
            }
            return repeatedRun(i);
        }

        private int word(int start) {
            boolean numeric = classes[start] == CodePointClass.DIGIT;
            int end = start + 1;
            while (end < n) {
                CodePointClass cls = classes[end];
                if (cls.isWord()) {
                    numeric &= cls == CodePointClass.DIGIT;
                } else if (cls == CodePointClass.APOSTROPHE && classes[end - 1].isWord() && isWordAt(end + 1)) {
                    numeric = false;
                } else if (!(numeric && (cps[end] == '.' || cps[end] == ',') && isDigitAt(end + 1))) {
                    break;
                }
                end++;
            }
            tokens.add(numeric ? NUMBER : wordText(start, end));
            return end;
        }

        /** The word's text with apostrophes unified and runs of 3+ identical code points cut to 2. */
        private String wordText(int start, int end) {
            StringBuilder out = new StringBuilder(end - start + 4);
            int previous = -1;
            int runLength = 0;
            for (int k = start; k < end; k++) {
                int cp = classes[k] == CodePointClass.APOSTROPHE ? '\'' : cps[k];
                runLength = cp == previous ? runLength + 1 : 1;
                previous = cp;
                if (runLength <= 2) {
                    out.appendCodePoint(cp);
                }
            }
            return out.toString();
        }

        private int repeatedRun(int start) {
            int cp = cps[start];
            int end = start + 1;
            while (end < n && cps[end] == cp) {
                end++;
            }
            String single = Character.toString(cp);
            tokens.add(end - start == 1 ? single : single + single);
            return end;
        }

        private boolean startsWithUrlPrefix(int i) {
            for (int[] prefix : URL_PREFIXES) {
                if (i + prefix.length <= n && matches(prefix, i)) {
                    return true;
                }
            }
            return false;
        }

        private boolean matches(int[] prefix, int at) {
            for (int k = 0; k < prefix.length; k++) {
                if (cps[at + k] != prefix[k]) {
                    return false;
                }
            }
            return true;
        }

        private boolean isWordAt(int i) {
            return i < n && classes[i].isWord();
        }

        private boolean isDigitAt(int i) {
            return i < n && classes[i] == CodePointClass.DIGIT;
        }
    }
}
