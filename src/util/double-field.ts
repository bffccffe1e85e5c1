/**
 * V8 picks a field's representation from the first value stored: 0 makes it a small
 * integer, and the first fractional value later changes the object's hidden class, which
 * deoptimizes every hot function that saw the old one (measured: the second simulation in
 * a process ran at half speed). Fields that will hold doubles start from this value and
 * are then set to 0 in the constructor, so they are doubles from the start.
 */
export const AS_DOUBLE = 0.5;
