.class public Lorg/hypercompat/corpus/multidex/MultidexApplication;
.super Landroid/app/Application;
.source "MultidexApplication.java"


# static fields
.field private static sGreeter:Lorg/hypercompat/corpus/multidex/feature/Greeter;


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Application;-><init>()V

    return-void
.end method

.method public static greeter()Lorg/hypercompat/corpus/multidex/feature/Greeter;
    .registers 1

    sget-object v0, Lorg/hypercompat/corpus/multidex/MultidexApplication;->sGreeter:Lorg/hypercompat/corpus/multidex/feature/Greeter;

    return-object v0
.end method


# virtual methods
.method public onCreate()V
    .registers 3

    invoke-super {p0}, Landroid/app/Application;->onCreate()V

    # classes2.dex
    new-instance v0, Lorg/hypercompat/corpus/multidex/feature/Greeter;

    invoke-virtual {p0}, Lorg/hypercompat/corpus/multidex/MultidexApplication;->getPackageName()Ljava/lang/String;

    move-result-object v1

    invoke-direct {v0, v1}, Lorg/hypercompat/corpus/multidex/feature/Greeter;-><init>(Ljava/lang/String;)V

    sput-object v0, Lorg/hypercompat/corpus/multidex/MultidexApplication;->sGreeter:Lorg/hypercompat/corpus/multidex/feature/Greeter;

    return-void
.end method
