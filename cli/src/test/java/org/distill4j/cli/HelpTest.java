package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command's {@code --help} answers: each option and parameter has a description, a
 * placeholder that names what it holds (not picocli's {@code <javaFieldName>}), and its default,
 * shown once, either picocli's "Default:" line or the description's own "(default: ...)".
 */
class HelpTest extends CommandTest {
    /** Every command and subcommand, depth first. */
    private static List<CommandSpec> allCommands(CommandSpec spec, List<CommandSpec> into) {
        into.add(spec);
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            allCommands(e.getValue().getCommandSpec(), into);
        }
        return into;
    }

    private static boolean isHelpOption(ArgSpec a) {
        return a instanceof OptionSpec o && (o.usageHelp() || o.versionHelp());
    }

    private static String name(ArgSpec a) {
        return a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
    }

    /** Whether picocli appends "Default: ..." to this option's description in {@code spec}'s help. */
    private static boolean picocliShowsDefault(CommandSpec spec, ArgSpec a) {
        Visibility v = a.showDefaultValue();
        return v == Visibility.ALWAYS || v == Visibility.ON_DEMAND && spec.usageMessage().showDefaultValues();
    }

    @Test
    void everyOptionHasADescriptionAPlaceholderAndItsDefault() {
        List<String> problems = new ArrayList<>();
        List<CommandSpec> commands = allCommands(Main.commandLine().getCommandSpec(), new ArrayList<>());
        assertTrue(commands.size() >= 10, "walked " + commands.size() + " commands");
        for (CommandSpec spec : commands) {
            String where = spec.qualifiedName() + " ";
            // Without white space: picocli wraps a long default such as a list of methods.
            String flat = spec.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", "");
            for (ArgSpec a : spec.args()) {
                if (isHelpOption(a)) {
                    continue;
                }
                String description = String.join(" ", a.description());
                String lower = description.toLowerCase(Locale.ROOT);
                if (description.isBlank()) {
                    problems.add(where + name(a) + ": no description");
                }
                boolean takesValue = a.typeInfo().isMultiValue() || !a.typeInfo().isBoolean();
                if (takesValue && a.paramLabel().matches("<[a-z][A-Za-z0-9]*>")) {
                    problems.add(where + name(a) + ": placeholder " + a.paramLabel() + " is a Java field name");
                }
                boolean negatable = a instanceof OptionSpec o && o.negatable();
                String defaultValue = a.defaultValue();
                boolean saysDefault = lower.contains("default");
                if (negatable) {
                    // "Default: true" says nothing of --[no-]x: the description names the default form.
                    if (!saysDefault || picocliShowsDefault(spec, a)) {
                        problems.add(where + name(a) + ": a negatable option says in words which form is the default");
                    }
                } else if (defaultValue != null && takesValue) {
                    if (!picocliShowsDefault(spec, a) && !description.contains("${DEFAULT-VALUE}")) {
                        problems.add(where + name(a) + ": its default " + defaultValue + " is not shown");
                    } else if (!flat.contains(("Default:" + defaultValue).replaceAll("\\s+", ""))
                            && !description.contains("${DEFAULT-VALUE}")) {
                        problems.add(where + name(a) + ": help lacks 'Default: " + defaultValue + "'");
                    }
                    if (saysDefault && picocliShowsDefault(spec, a)) {
                        problems.add(where + name(a) + ": its default is given twice (in the description and by picocli)");
                    }
                } else if (takesValue && !a.required() && !saysDefault) {
                    problems.add(where + name(a) + ": no default value, and its description does not say what happens without it");
                }
            }
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void helpOfEveryCommandRendersWithoutFieldNamesOrUnformattedPercents() {
        // picocli reports a description it cannot format (a bare "%" such as "90% pruning") on System.err, not on
        // the command's writer, and then prints the raw text: catch that too.
        java.io.PrintStream systemErr = System.err;
        java.io.ByteArrayOutputStream picocliWarnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(picocliWarnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            renderEveryHelp();
        } finally {
            System.setErr(systemErr);
        }
        String warnings = picocliWarnings.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!warnings.contains("picocli WARN"), warnings);
    }

    private void renderEveryHelp() {
        for (CommandSpec spec : allCommands(Main.commandLine().getCommandSpec(), new ArrayList<>())) {
            List<String> args = new ArrayList<>(List.of(spec.qualifiedName().split(" ")));
            args.remove(0);
            args.add("--help");
            assertEquals(0, run(args.toArray(new String[0])), err.toString());
            String help = out.toString();
            assertTrue(help.startsWith("Usage: " + spec.qualifiedName()), help);
            assertTrue(!help.matches("(?s).*=<[a-z][A-Za-z0-9]*>.*"), "a Java field name as a placeholder:\n" + help);
            assertTrue(!help.contains("%%"), "an unformatted %% in:\n" + help);
        }
    }

    @Test
    void balanceSaysWhichFormIsTheDefault() {
        assertEquals(0, run("select", "--help"));
        String help = out.toString();
        assertTrue(help.contains("--[no-]balance"), help);
        assertTrue(help.contains("(the default: --balance)"), help);
    }

    @Test
    void quickstartComputesWhereEveryOtherCommandDoes() {
        CommandSpec root = Main.commandLine().getCommandSpec();
        for (String command : List.of("train", "select", "evaluate", "coreset-bench", "distill", "quickstart")) {
            OptionSpec device = root.subcommands().get(command).getCommandSpec().findOption("--device");
            assertEquals("auto", device.defaultValue(), command);
        }
    }
}
