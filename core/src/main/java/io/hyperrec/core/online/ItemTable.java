package io.hyperrec.core.online;

import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.model.TrainedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The item points of one published model version, plus items added since (cold-start items
 * onboarded between retrains). Item rows are addressed by index: the version's items first, in the
 * model's order, then the added ones in arrival order.
 *
 * <p>The published part is shared and never copied (a TaskManager holds one per version for all its
 * subtasks); {@link #withItem} returns a new table that shares it and copies only the small
 * overlay.
 */
public final class ItemTable {
    private final long version;
    private final IdMap base;
    private final float[] basePoints;
    private final int dim;
    private final List<String> addedIds;
    private final float[] addedPoints;
    private final Map<String, Integer> addedIndex;

    private ItemTable(
            long version,
            IdMap base,
            float[] basePoints,
            int dim,
            List<String> addedIds,
            float[] addedPoints) {
        this.version = version;
        this.base = base;
        this.basePoints = basePoints;
        this.dim = dim;
        this.addedIds = addedIds;
        this.addedPoints = addedPoints;
        this.addedIndex = new HashMap<>(addedIds.size() * 2);
        for (int i = 0; i < addedIds.size(); i++) {
            addedIndex.put(addedIds.get(i), base.size() + i);
        }
    }

    /** The item table of a published model. */
    public static ItemTable of(long version, TrainedModel model) {
        return new ItemTable(
                version, model.items(), model.itemPoints(), model.dim(), List.of(), new float[0]);
    }

    /**
     * An item table from ids and rows of points.
     *
     * @param points ids.size()×dim floats, row-major (not copied: do not modify)
     */
    public static ItemTable of(long version, IdMap ids, float[] points, int dim) {
        if (points.length != ids.size() * dim) {
            throw new IllegalArgumentException(
                    "expected " + ids.size() + "×" + dim + " floats, got " + points.length);
        }
        return new ItemTable(version, ids, points, dim, List.of(), new float[0]);
    }

    /** The model version the table belongs to. */
    public long version() {
        return version;
    }

    /** Coordinates per point (d+1). */
    public int dim() {
        return dim;
    }

    /** Number of items, published and added. */
    public int size() {
        return base.size() + addedIds.size();
    }

    /** Row of an item, or −1 when the table does not know it. */
    public int indexOf(String id) {
        int i = base.indexOf(id);
        if (i >= 0) {
            return i;
        }
        Integer j = addedIndex.get(id);
        return j == null ? -1 : j;
    }

    /** The id of a row. */
    public String id(int index) {
        return index < base.size() ? base.token(index) : addedIds.get(index - base.size());
    }

    /** Copies the point of a row into {@code out} at {@code offset}. */
    public void copyPoint(int index, float[] out, int offset) {
        if (index < base.size()) {
            System.arraycopy(basePoints, index * dim, out, offset, dim);
        } else {
            System.arraycopy(addedPoints, (index - base.size()) * dim, out, offset, dim);
        }
    }

    /**
     * This table with one item added, or with an added item's point replaced. Items of the
     * published version are not replaced: their points belong to the version.
     *
     * @return the new table, or this one when the item is part of the published version
     */
    public ItemTable withItem(String id, float[] point) {
        if (point.length != dim) {
            throw new IllegalArgumentException(
                    "item " + id + ": expected " + dim + " coordinates, got " + point.length);
        }
        if (base.indexOf(id) >= 0) {
            return this;
        }
        Integer existing = addedIndex.get(id);
        List<String> ids = new ArrayList<>(addedIds);
        float[] pts;
        if (existing != null) {
            pts = addedPoints.clone();
            System.arraycopy(point, 0, pts, (existing - base.size()) * dim, dim);
        } else {
            ids.add(id);
            pts = Arrays.copyOf(addedPoints, addedPoints.length + dim);
            System.arraycopy(point, 0, pts, addedPoints.length, dim);
        }
        return new ItemTable(version, base, basePoints, dim, List.copyOf(ids), pts);
    }

    /** Number of items added after the version was published. */
    public int addedCount() {
        return addedIds.size();
    }
}
