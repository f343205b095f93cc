interface SwitchProps {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  description?: string;
}

/** An on/off switch (role=switch) with a visible label. */
export function Switch({ label, checked, onChange, disabled = false, description }: SwitchProps) {
  return (
    <button type="button" role="switch" aria-checked={checked} className="switch" disabled={disabled} title={description} onClick={() => onChange(!checked)}>
      <span className="switch__track" aria-hidden="true">
        <span className="switch__thumb" />
      </span>
      <span className="switch__label">{label}</span>
    </button>
  );
}
