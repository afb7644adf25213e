package io.hyperrec.enrichment.offline;

import io.hyperrec.core.data.ItemCatalog;
import io.hyperrec.core.data.TagGraph;
import io.hyperrec.enrichment.Tagging;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A category tree of exactly {@value Tagging#LEVELS} levels whose node names are valid, unique
 * tags: what the {@link OfflineTagger} descends. Built from category paths such as Amazon's {@code
 * Beauty > Makeup > Face > Concealer & Primer}, from an {@link ItemCatalog} or from a tag graph
 * with levels.
 *
 * <p><b>Normalisation.</b> Every path component is made tag-safe (accents removed; characters other
 * than letters, digits, space and {@code &-'/.,+} become spaces; whitespace collapsed); empty
 * components are dropped. Then:
 *
 * <ol>
 *   <li>A root shared by every path (Amazon's {@code Beauty}) says nothing about an item: while all
 *       paths start with the same component and one of them goes deeper, that component is dropped
 *       ({@link #droppedRoot()}); paths left empty are ignored.
 *   <li>A path {@code c0 > c1 > ... > ck} maps to three nodes: level 0 is {@code c0}, level 1 is
 *       {@code c0 > c1}, level 2 is the whole path, named after its deepest component {@code ck};
 *       components between {@code c1} and {@code ck} are collapsed (they stay in {@link
 *       Node#path()}, which the tagger may embed). Two paths ending in the same level-2 name under
 *       the same level-1 node are still two nodes.
 *   <li>A shorter path is padded deterministically so that every level is non-empty and every item
 *       has a node on each level: {@code c0} alone gets the level-1 node {@code "c0 - general"} and
 *       the level-2 node {@code "c0 - all"}; {@code c0 > c1} gets the level-2 node {@code "c1 -
 *       all"}. Padded nodes carry their parent's label and path.
 *   <li>Tags are unique across the whole tree, case-insensitively: nodes whose names collide (the
 *       same name at two depths, or under two parents) are qualified with the path component before
 *       them, repeatedly, e.g. {@code Face} under {@code Makeup} and under {@code Skin Care} become
 *       {@code "Makeup Face"} and {@code "Skin Care Face"}; a collision that qualification cannot
 *       resolve (a level-0 name, or names cut to {@value TextCleaner#MAX_TAG_CHARS} characters)
 *       gets a number, {@code " 2"}, {@code " 3"}, in node order.
 * </ol>
 *
 * <p>Node ids are dense, breadth first (all level-0 nodes, then level 1, then level 2), and each
 * level is sorted by path, so the same set of paths gives the same tree whatever their order or
 * repetition. Instances are immutable and thread-safe.
 */
public final class Taxonomy {

    /** The separator of joined category paths. */
    public static final String PATH_SEPARATOR = " > ";

    private static final Pattern JOINED_SEPARATOR = Pattern.compile("\\s*>\\s*");
    private static final String GENERAL_SUFFIX = " - general";
    private static final String ALL_SUFFIX = " - all";

    /**
     * One node of the tree.
     *
     * @param id the dense node id
     * @param level 0, 1 or 2
     * @param tag the unique tag the node is emitted as
     * @param label the readable name (its deepest category, unqualified; a padded node repeats its
     *     parent's label)
     * @param parent the parent id, or -1 on level 0
     * @param path the categories below the dropped root that the node stands for, level 0 first
     * @param padded whether the node was added by padding a shorter path
     */
    public record Node(
            int id,
            int level,
            String tag,
            String label,
            int parent,
            List<String> path,
            boolean padded) {

        /** Copies the path. */
        public Node {
            Objects.requireNonNull(tag, "tag");
            Objects.requireNonNull(label, "label");
            path = List.copyOf(path);
        }
    }

    private final List<String> droppedRoot;
    private final List<Node> nodes;
    private final List<List<Node>> levels;
    private final List<List<Node>> children;
    private final Map<String, Node> byTag;
    private final Map<List<String>, Node> leafByPath;

    private Taxonomy(List<String> droppedRoot, List<Node> nodes) {
        this.droppedRoot = List.copyOf(droppedRoot);
        this.nodes = List.copyOf(nodes);
        List<List<Node>> lv = new ArrayList<>();
        for (int l = 0; l < Tagging.LEVELS; l++) {
            int level = l;
            lv.add(nodes.stream().filter(n -> n.level() == level).toList());
        }
        this.levels = List.copyOf(lv);
        List<List<Node>> ch = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            ch.add(new ArrayList<>());
        }
        Map<String, Node> tags = new HashMap<>();
        Map<List<String>, Node> leaves = new HashMap<>();
        for (Node n : nodes) {
            if (n.parent() >= 0) {
                ch.get(n.parent()).add(n);
            }
            tags.put(n.tag(), n);
            if (n.level() == Tagging.LEVELS - 1) {
                leaves.put(n.path(), n);
            }
        }
        this.children = ch.stream().map(List::copyOf).toList();
        this.byTag = Map.copyOf(tags);
        this.leafByPath = Map.copyOf(leaves);
    }

    /**
     * Builds the tree from category paths, root first, such as {@code [Beauty, Makeup, Face]}.
     *
     * @param paths the paths; not null, no null paths or components; order and repeats do not
     *     matter; empty paths are ignored
     * @return the tree
     * @throws IllegalArgumentException when no path has a usable component
     */
    public static Taxonomy fromCategoryPaths(Collection<? extends List<String>> paths) {
        Objects.requireNonNull(paths, "paths");
        TreeSet<List<String>> clean = new TreeSet<>(Taxonomy::comparePaths);
        int index = 0;
        for (List<String> path : paths) {
            Objects.requireNonNull(path, "paths[" + index + "]");
            List<String> c = sanitize(path);
            if (!c.isEmpty()) {
                clean.add(c);
            }
            index++;
        }
        if (clean.isEmpty()) {
            throw new IllegalArgumentException(
                    "no category path has a usable component among " + paths.size() + " paths");
        }
        List<String> root = new ArrayList<>();
        List<List<String>> current = new ArrayList<>(clean);
        while (sharesFirstComponent(current)) {
            root.add(current.get(0).get(0));
            List<List<String>> next = new ArrayList<>();
            for (List<String> p : current) {
                if (p.size() > 1) {
                    next.add(p.subList(1, p.size()));
                }
            }
            current = next;
        }
        return build(root, current);
    }

    /**
     * Builds the tree from joined category paths such as {@code "Beauty > Makeup > Face"}; the
     * components are split at {@code >} and trimmed.
     *
     * @param joinedPaths the paths; not null, no null entries; blank entries are ignored
     * @return the tree
     * @throws IllegalArgumentException when no path has a usable component
     */
    public static Taxonomy fromJoinedCategoryPaths(Collection<String> joinedPaths) {
        Objects.requireNonNull(joinedPaths, "joinedPaths");
        return fromCategoryPaths(joinedPaths.stream().map(Taxonomy::split).toList());
    }

    /**
     * Builds the tree from the category paths of a catalog's items.
     *
     * @param catalog the catalog; not null
     * @return the tree
     * @throws IllegalArgumentException when no item has a usable category path
     */
    public static Taxonomy fromCatalog(ItemCatalog catalog) {
        Objects.requireNonNull(catalog, "catalog");
        List<List<String>> paths = new ArrayList<>(catalog.numItems());
        for (int i = 0; i < catalog.numItems(); i++) {
            paths.add(catalog.categoryPath(i));
        }
        return fromCategoryPaths(paths);
    }

    /**
     * Builds the tree from a tag graph with levels: every tag without a child (a tag-tag neighbour
     * one level deeper) is a category path's end, and the path runs up through the neighbour one
     * level higher at each step. A tag name that starts with its parent's name and {@code /} (as in
     * the synthetic {@code Skincare/Moisturizers}) is shortened to the rest.
     *
     * @param graph the tag graph; not null
     * @return the tree
     * @throws IllegalArgumentException when the graph has no levels, or a tag has no parent or more
     *     than one, naming the tag
     */
    public static Taxonomy fromTagGraph(TagGraph graph) {
        Objects.requireNonNull(graph, "graph");
        int[] level = graph.tagLevel();
        if (level == null) {
            throw new IllegalArgumentException("the tag graph has no tag levels: " + graph);
        }
        int n = graph.numTags();
        int[] parent = new int[n];
        Arrays.fill(parent, -1);
        boolean[] hasChild = new boolean[n];
        int[] a = graph.tagTagA();
        int[] b = graph.tagTagB();
        String[] names = graph.tagNames();
        for (int e = 0; e < a.length; e++) {
            int p;
            int c;
            if (level[a[e]] + 1 == level[b[e]]) {
                p = a[e];
                c = b[e];
            } else if (level[b[e]] + 1 == level[a[e]]) {
                p = b[e];
                c = a[e];
            } else {
                continue;
            }
            if (parent[c] >= 0 && parent[c] != p) {
                throw new IllegalArgumentException(
                        "tag '"
                                + names[c]
                                + "' has two parents, '"
                                + names[parent[c]]
                                + "' and '"
                                + names[p]
                                + "': not a tree");
            }
            parent[c] = p;
            hasChild[p] = true;
        }
        List<List<String>> paths = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            if (hasChild[t]) {
                continue;
            }
            List<String> path = new ArrayList<>();
            for (int u = t; u >= 0; u = parent[u]) {
                if (level[u] > 0 && parent[u] < 0) {
                    throw new IllegalArgumentException(
                            "tag '" + names[u] + "' of level " + level[u] + " has no parent");
                }
                String name = names[u];
                if (parent[u] >= 0 && name.startsWith(names[parent[u]] + "/")) {
                    name = name.substring(names[parent[u]].length() + 1);
                }
                path.add(0, name);
            }
            paths.add(path);
        }
        return fromCategoryPaths(paths);
    }

    /**
     * Returns the components dropped as a common root, e.g. {@code [Beauty]}.
     *
     * @return an unmodifiable list, empty when none was dropped
     */
    public List<String> droppedRoot() {
        return droppedRoot;
    }

    /**
     * Returns all nodes, indexed by id.
     *
     * @return an unmodifiable list
     */
    public List<Node> nodes() {
        return nodes;
    }

    /**
     * Returns the number of nodes.
     *
     * @return the node count
     */
    public int size() {
        return nodes.size();
    }

    /**
     * Returns a node.
     *
     * @param id a node id in {@code [0, size())}
     * @return the node
     */
    public Node node(int id) {
        return nodes.get(id);
    }

    /**
     * Returns the nodes of a level, in id order.
     *
     * @param level 0, 1 or 2
     * @return an unmodifiable, non-empty list
     */
    public List<Node> level(int level) {
        if (level < 0 || level >= Tagging.LEVELS) {
            throw new IndexOutOfBoundsException(
                    "level must be in [0, " + Tagging.LEVELS + "), got " + level);
        }
        return levels.get(level);
    }

    /**
     * Returns a node's children, in id order.
     *
     * @param id a node id
     * @return an unmodifiable list; non-empty for levels 0 and 1, empty for level 2
     */
    public List<Node> children(int id) {
        return children.get(id);
    }

    /**
     * Returns the node emitted as a tag.
     *
     * @param tag a tag
     * @return the node, or empty when no node has that tag
     */
    public Optional<Node> byTag(String tag) {
        return Optional.ofNullable(byTag.get(tag));
    }

    /**
     * Returns the nodes, level 0 first, that a category path maps to: the path is cleaned like the
     * paths the tree was built from and its dropped root, when present, is removed.
     *
     * @param categoryPath a path, root first; not null
     * @return three nodes, or empty when the path is not in the tree
     */
    public Optional<List<Node>> nodesOf(List<String> categoryPath) {
        List<String> c = sanitize(Objects.requireNonNull(categoryPath, "categoryPath"));
        if (c.size() >= droppedRoot.size()
                && c.subList(0, droppedRoot.size()).equals(droppedRoot)) {
            c = c.subList(droppedRoot.size(), c.size());
        }
        Node leaf = leafByPath.get(c);
        return leaf == null ? Optional.empty() : Optional.of(ancestry(leaf.id()));
    }

    /**
     * Returns the nodes from level 0 down to a node.
     *
     * @param id a node id
     * @return an unmodifiable list of {@code level + 1} nodes
     */
    public List<Node> ancestry(int id) {
        Node n = nodes.get(id);
        Node[] out = new Node[n.level() + 1];
        for (Node u = n; ; u = nodes.get(u.parent())) {
            out[u.level()] = u;
            if (u.parent() < 0) {
                break;
            }
        }
        return List.of(out);
    }

    @Override
    public String toString() {
        return "Taxonomy[droppedRoot="
                + droppedRoot
                + ", nodes per level="
                + levels.get(0).size()
                + "/"
                + levels.get(1).size()
                + "/"
                + levels.get(2).size()
                + "]";
    }

    static List<String> split(String joined) {
        Objects.requireNonNull(joined, "joined path");
        if (joined.isBlank()) {
            return List.of();
        }
        return List.of(JOINED_SEPARATOR.split(joined.strip()));
    }

    private static List<String> sanitize(List<String> path) {
        List<String> out = new ArrayList<>(path.size());
        for (String component : path) {
            String c = TextCleaner.tagSafe(Objects.requireNonNull(component, "path component"));
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean sharesFirstComponent(List<List<String>> paths) {
        String first = paths.get(0).get(0);
        boolean deeper = false;
        for (List<String> p : paths) {
            if (!p.get(0).equals(first)) {
                return false;
            }
            deeper |= p.size() > 1;
        }
        return deeper;
    }

    private static int comparePaths(List<String> x, List<String> y) {
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = x.get(i).compareTo(y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }

    /** A node under construction: its level and the real categories it stands for. */
    private static final class Draft {
        final int level;
        final List<String> real;
        final boolean padded;
        Draft parent;
        int qualifiers;
        int id;
        String tag;

        Draft(int level, List<String> real) {
            this.level = level;
            this.real = List.copyOf(real);
            this.padded = real.size() <= level;
        }

        String baseName() {
            int size = real.size();
            String name = String.join(" ", real.subList(size - 1 - qualifiers, size));
            if (!padded) {
                return name;
            }
            return name + (level == 1 ? GENERAL_SUFFIX : ALL_SUFFIX);
        }

        boolean canQualify() {
            return qualifiers < real.size() - 1;
        }
    }

    private static Taxonomy build(List<String> root, List<List<String>> paths) {
        Map<List<Object>, Draft> drafts = new LinkedHashMap<>();
        for (List<String> q : paths) {
            Draft d0 =
                    drafts.computeIfAbsent(
                            List.of(0, q.subList(0, 1)), k -> new Draft(0, q.subList(0, 1)));
            List<String> r1 = q.subList(0, Math.min(2, q.size()));
            Draft d1 = drafts.computeIfAbsent(List.of(1, r1), k -> new Draft(1, r1));
            Draft d2 = drafts.computeIfAbsent(List.of(2, q), k -> new Draft(2, q));
            d1.parent = d0;
            d2.parent = d1;
        }
        List<Draft> ordered = new ArrayList<>(drafts.values());
        ordered.sort(
                Comparator.comparingInt((Draft d) -> d.level)
                        .thenComparing((d, e) -> comparePaths(d.real, e.real)));
        for (int i = 0; i < ordered.size(); i++) {
            ordered.get(i).id = i;
        }
        nameUniquely(ordered);
        List<Node> nodes = new ArrayList<>(ordered.size());
        for (Draft d : ordered) {
            nodes.add(
                    new Node(
                            d.id,
                            d.level,
                            d.tag,
                            d.real.get(d.real.size() - 1),
                            d.parent == null ? -1 : d.parent.id,
                            d.real,
                            d.padded));
        }
        return new Taxonomy(root, nodes);
    }

    /** Qualifies colliding names with the component before them, then numbers what remains. */
    private static void nameUniquely(List<Draft> ordered) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (List<Draft> group : collisions(ordered, false)) {
                for (Draft d : group) {
                    if (d.canQualify()) {
                        d.qualifiers++;
                        changed = true;
                    }
                }
            }
        }
        for (Draft d : ordered) {
            d.tag = cutTag(d.baseName());
        }
        List<List<Draft>> remaining = collisions(ordered, true);
        while (!remaining.isEmpty()) {
            for (List<Draft> group : remaining) {
                for (int k = 1; k < group.size(); k++) {
                    Draft d = group.get(k);
                    String suffix = " " + (k + 1);
                    d.tag = cutTag(d.tag, TextCleaner.MAX_TAG_CHARS - suffix.length()) + suffix;
                }
            }
            remaining = collisions(ordered, true);
        }
    }

    private static List<List<Draft>> collisions(List<Draft> ordered, boolean useTags) {
        Map<String, List<Draft>> byName = new LinkedHashMap<>();
        for (Draft d : ordered) {
            String name = useTags ? d.tag : d.baseName();
            byName.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(d);
        }
        return byName.values().stream().filter(g -> g.size() > 1).toList();
    }

    private static String cutTag(String name) {
        return cutTag(name, TextCleaner.MAX_TAG_CHARS);
    }

    private static String cutTag(String name, int max) {
        String t = TextCleaner.cut(name, max);
        return t.isEmpty() ? name.substring(0, Math.min(max, name.length())).strip() : t;
    }
}
