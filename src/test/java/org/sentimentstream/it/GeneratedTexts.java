package org.sentimentstream.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tweet-like texts made up from word lists, reproducible from a seed (no data set needed). */
final class GeneratedTexts {

    private static final String[] OPENERS = {"omg", "honestly", "well", "today", "ugh", "lol", "so", "just"};
    private static final String[] FEELINGS = {
        "i love",
        "i hate",
        "really enjoying",
        "so tired of",
        "can't stand",
        "happy with",
        "disappointed by",
        "excited about",
        "annoyed with",
        "grateful for"
    };
    private static final String[] THINGS = {
        "my new phone",
        "this weather",
        "the traffic",
        "that movie",
        "the coffee here",
        "my job",
        "this song",
        "the weekend",
        "my team",
        "the train"
    };
    private static final String[] ENDINGS = {"!!", ":)", ":(", "#mondays", "@friend", "http://t.co/x1", "...", ""};

    private GeneratedTexts() {}

    static List<String> generate(int count, long seed) {
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(pick(random, OPENERS) + " " + pick(random, FEELINGS) + " " + pick(random, THINGS) + " "
                    + pick(random, ENDINGS) + " #" + i);
        }
        return texts;
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }
}
