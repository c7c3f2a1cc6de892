import { Form, Select } from 'antd';

/** Props of {@link FilterSelect}. */
export interface FilterSelectProps {
  /** Unique id of the control; the label points to it. */
  id: string;
  label: string;
  /** The "no filter" choice's text (全部). */
  anyLabel: string;
  value: string | undefined;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string | undefined) => void;
  width?: number;
  disabled?: boolean;
}

/**
 * One labelled filter of a list: a select whose "all" choice clears the filter. The visible label is tied to the
 * control (`htmlFor`/`id`), so screen readers and axe name it, and it is used with the keyboard as any select.
 */
export function FilterSelect({ id, label, anyLabel, value, options, onChange, width = 160, disabled }: FilterSelectProps) {
  return (
    <Form.Item label={label} htmlFor={id} style={{ marginBottom: 8 }}>
      <Select
        id={id}
        style={{ width }}
        value={value ?? ''}
        disabled={disabled}
        options={[{ value: '', label: anyLabel }, ...options]}
        onChange={(v: string) => onChange(v || undefined)}
        popupMatchSelectWidth={false}
      />
    </Form.Item>
  );
}
