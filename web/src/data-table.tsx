import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';

/** A table over rows the server already paged and sorted. */
export function DataTable<Row>({
  rows,
  columns,
  selected,
  onRowClick,
  label,
}: {
  rows: Row[];
  columns: ColumnDef<Row, any>[];
  selected?: number;
  onRowClick?: (row: Row, index: number) => void;
  label: string;
}) {
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), manualPagination: true });
  return (
    <div className="table-wrap">
      <table aria-label={label}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  {flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row, index) => (
            <tr
              key={row.id}
              aria-selected={selected === index ? true : undefined}
              className={selected === index ? 'selected' : undefined}
              onClick={onRowClick ? () => onRowClick(row.original, index) : undefined}
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
