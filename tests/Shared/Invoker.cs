using System;
using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;

namespace AutoHypergrad.Testing;

/// <summary>
/// Calls a static method from an <c>object?[]</c> of arguments, like <see cref="MethodBase.Invoke(object, object[])"/>,
/// but also for the parameter types reflection cannot pass: <c>Span&lt;T&gt;</c> and <c>ReadOnlySpan&lt;T&gt;</c>
/// (ref structs). One <see cref="DynamicMethod"/> per signature, built once:
/// <list type="bullet">
/// <item>a span slot holds a <c>T[]</c>, wrapped in a span over the same memory (<c>newobj Span&lt;T&gt;(T[])</c>), so
/// what the method writes through it is in the array afterwards;</item>
/// <item>an array slot holds the array itself;</item>
/// <item>a ref, in or out slot holds a boxed value, copied into a local passed by reference and written back into the
/// slot after the call;</item>
/// <item>any other slot holds a boxed value.</item>
/// </list>
/// Exceptions thrown by the method propagate unwrapped (no <see cref="TargetInvocationException"/>).
/// </summary>
internal static class Invoker
{
    private static readonly ConcurrentDictionary<MethodInfo, Func<object?[], object?>> Invokers = new();

    /// <summary>Calls <paramref name="method"/> with <paramref name="args"/>; returns its boxed result (null for void).</summary>
    public static object? Invoke(MethodInfo method, object?[] args)
    {
        Func<object?[], object?> invoker = Invokers.GetOrAdd(method, Build);
        int expected = method.GetParameters().Length;
        return args.Length == expected
            ? invoker(args)
            : throw new ArgumentException($"{method.Name} takes {expected} arguments, not {args.Length}.", nameof(args));
    }

    private static Func<object?[], object?> Build(MethodInfo method)
    {
        if (!method.IsStatic)
        {
            throw new NotSupportedException($"{method.Name} is not static.");
        }

        ParameterInfo[] parameters = method.GetParameters();
        var invoker = new DynamicMethod(
            "Invoke" + method.Name, typeof(object), [typeof(object?[])], typeof(Invoker).Module, skipVisibility: true);
        ILGenerator il = invoker.GetILGenerator();
        var locals = new LocalBuilder?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            Type type = parameters[i].ParameterType;
            if (!type.IsByRef)
            {
                continue;
            }

            Type element = type.GetElementType()!;
            if (element.IsByRefLike || !element.IsValueType)
            {
                throw new NotSupportedException($"{method.Name}: cannot pass {parameters[i].Name} ({type}) by reference.");
            }

            locals[i] = il.DeclareLocal(element);
            LoadSlot(il, i);
            il.Emit(OpCodes.Unbox_Any, element);
            il.Emit(OpCodes.Stloc, locals[i]!);
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            Type type = parameters[i].ParameterType;
            if (type.IsByRef)
            {
                il.Emit(OpCodes.Ldloca, locals[i]!);
                continue;
            }

            LoadSlot(il, i);
            if (IsSpan(type))
            {
                Type array = type.GetGenericArguments()[0].MakeArrayType();
                il.Emit(OpCodes.Castclass, array);
                ConstructorInfo constructor = type.GetConstructor([array])
                    ?? throw new MissingMethodException($"{type} has no constructor from {array}.");
                il.Emit(OpCodes.Newobj, constructor);
            }
            else if (type.IsValueType)
            {
                il.Emit(OpCodes.Unbox_Any, type);
            }
            else
            {
                il.Emit(OpCodes.Castclass, type);
            }
        }

        il.Emit(OpCodes.Call, method);
        Type returnType = method.ReturnType;
        if (returnType == typeof(void))
        {
            il.Emit(OpCodes.Ldnull);
        }
        else if (returnType.IsByRefLike || returnType.IsByRef)
        {
            throw new NotSupportedException($"{method.Name} returns {returnType}.");
        }
        else if (returnType.IsValueType)
        {
            il.Emit(OpCodes.Box, returnType);
        }

        LocalBuilder result = il.DeclareLocal(typeof(object));
        il.Emit(OpCodes.Stloc, result);
        for (int i = 0; i < parameters.Length; i++)
        {
            if (locals[i] is not LocalBuilder local)
            {
                continue;
            }

            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldloc, local);
            il.Emit(OpCodes.Box, local.LocalType);
            il.Emit(OpCodes.Stelem_Ref);
        }

        il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);
        return invoker.CreateDelegate<Func<object?[], object?>>();
    }

    private static void LoadSlot(ILGenerator il, int index)
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_I4, index);
        il.Emit(OpCodes.Ldelem_Ref);
    }

    /// <summary>Span&lt;T&gt; or ReadOnlySpan&lt;T&gt;: passed as a span over an array slot.</summary>
    private static bool IsSpan(Type type)
        => type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Span<>) || type.GetGenericTypeDefinition() == typeof(ReadOnlySpan<>));
}
